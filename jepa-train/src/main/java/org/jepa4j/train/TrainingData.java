package org.jepa4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.model.TokenGrid;
import org.jepa4j.train.config.ConfigException;
import org.jepa4j.train.config.DataAugConfig;
import org.jepa4j.train.config.DataConfig;
import org.jepa4j.train.config.MaskConfig;
import org.jepa4j.train.config.MaskSetConfig;
import org.jepa4j.train.config.ModelVariant;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.ClipLoader;
import org.jepa4j.video.mask.MaskGenerator;
import org.jepa4j.video.mask.MultiBlock2dConfig;
import org.jepa4j.video.mask.MultiBlock2dMaskGenerator;
import org.jepa4j.video.mask.MultiBlock3dConfig;
import org.jepa4j.video.mask.MultiBlock3dMaskGenerator;
import org.jepa4j.video.mask.MultiBlockSpec;
import org.jepa4j.video.mask.Range;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.transform.ClipTransform;
import org.jepa4j.video.transform.Normalization;
import org.jepa4j.video.transform.RandomResizedCrop;

/**
 * Builds the data side of a run from its configuration: source, clip sampling, augmentation, mask generator and
 * the training {@link ClipLoader}.
 */
public final class TrainingData {

    private TrainingData() {
    }

    /**
     * Whether the configuration trains on still images (I-JEPA): one frame, tensors [B, C, H, W].
     *
     * @param c the training configuration
     * @return whether samples are single images
     */
    public static boolean isImage(TrainConfig c) {
        return c.data().datasetType().equals("image");
    }

    /**
     * The samples named by {@code data.datasets}: each entry a folder (scanned, labels from sub-folders) or an
     * index file of {@code path label} lines; several entries are concatenated.
     *
     * @param c the configuration
     * @return the source
     * @throws ConfigException if {@code data.datasets} is empty or names nothing readable
     */
    public static VideoSource source(TrainConfig c) {
        List<String> sets = c.data().datasets();
        if (sets.isEmpty()) {
            throw new ConfigException("data.datasets", "lists no data set; give folders or index files, or pass a "
                    + "source to the trainer");
        }
        List<VideoSource> parts = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            Path p = Path.of(sets.get(i));
            try {
                parts.add(Files.isDirectory(p) ? VideoSource.fromFolder(p) : VideoSource.fromIndex(p));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("data.datasets[" + i + "]", e.getMessage());
            }
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<VideoSample> all = new ArrayList<>();
        parts.forEach(s -> all.addAll(s.samples()));
        return VideoSource.ofSamples(all);
    }

    /**
     * Clip sampling: {@code num_frames} frames at {@code fps} frames per second when set (V-JEPA 2), else every
     * {@code sampling_rate} frames (V-JEPA 1); {@code num_clips} per video.
     *
     * @param c the training configuration
     * @return the clip sampling of its data section
     */
    public static ClipSampling sampling(TrainConfig c) {
        DataConfig d = c.data();
        ClipSampling base = d.fps() != null ? ClipSampling.ofFps(d.numFrames(), d.fps())
                : ClipSampling.ofStep(d.numFrames(), d.samplingRate());
        return base.withClipsPerVideo(d.numClips());
    }

    /**
     * Training augmentation of {@code data_aug}: random resized crop, flip, normalization.
     *
     * @param c the training configuration
     * @return the training transform
     */
    public static ClipTransform trainTransform(TrainConfig c) {
        DataAugConfig a = c.dataAug();
        return ClipTransform.train(c.data().cropSize())
                .withRandomCrop(new RandomResizedCrop(a.randomResizeScale().get(0), a.randomResizeScale().get(1),
                        a.randomResizeAspectRatio().get(0), a.randomResizeAspectRatio().get(1)))
                .withFlipProbability(a.horizontalFlip() ? 0.5 : 0.0)
                .withNormalization(normalization(c));
    }

    /**
     * Evaluation transform (center crop) with the run's normalization, e.g. for the collapse batch.
     *
     * @param c the training configuration
     * @return the evaluation transform
     */
    public static ClipTransform evalTransform(TrainConfig c) {
        return ClipTransform.eval(c.data().cropSize()).withNormalization(normalization(c));
    }

    /**
     * The run's pixel normalization ({@code data_aug.normalize_mean/std}).
     *
     * @param c the configuration
     * @return the normalization
     */
    public static Normalization normalization(TrainConfig c) {
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int i = 0; i < 3; i++) {
            mean[i] = c.dataAug().normalizeMean().get(i).floatValue();
            std[i] = c.dataAug().normalizeStd().get(i).floatValue();
        }
        return new Normalization(mean, std);
    }

    /**
     * The mask generator of the {@code mask} section on the run's token grid: multiblock 3D (V-JEPA, one mask set
     * per configured set) or multiblock 2D (I-JEPA, one mask set per target block, all sharing the context).
     *
     * @param c the configuration
     * @return the generator
     */
    public static MaskGenerator maskGenerator(TrainConfig c) {
        DataConfig d = c.data();
        MaskConfig m = c.mask();
        if (m.type().equals("multiblock2d")) {
            MaskSetConfig t = m.sets().get(0);
            return new MultiBlock2dMaskGenerator(MultiBlock2dConfig.builder()
                    .setGrid(TokenGrid.image(d.cropSize(), d.patchSize()))
                    .optContextScale(range(m.contextScale()))
                    .optNumTargetBlocks(t.numBlocks())
                    .optTargetScale(range(t.spatialScale()))
                    .optTargetAspectRatio(range(t.aspectRatio()))
                    .optMinKeep(m.minKeep())
                    .optAllowOverlap(m.allowOverlap())
                    .build());
        }
        MultiBlock3dConfig.Builder b = MultiBlock3dConfig.builder()
                .setGrid(TokenGrid.video(d.numFrames(), d.tubeletSize(), d.cropSize(), d.patchSize()));
        for (int i = 0; i < m.sets().size(); i++) {
            MaskSetConfig s = m.sets().get(i);
            b.addMaskSet(MultiBlockSpec.builder()
                    .setName("set-" + i)
                    .setNumBlocks(s.numBlocks())
                    .setSpatialScale(range(s.spatialScale()))
                    .optTemporalScale(range(s.temporalScale()))
                    .optAspectRatio(range(s.aspectRatio()))
                    .optMaxTemporalKeep(s.maxTemporalKeep())
                    .optMaxContextKeep(s.maxKeep() == null ? 0 : s.maxKeep())
                    .build());
        }
        return new MultiBlock3dMaskGenerator(b.build());
    }

    /**
     * Which predictor mask token each mask set uses: set i uses token i for V-JEPA 1 (facebookresearch/jepa
     * {@code PredictorMultiMaskWrapper}: {@code mask_index} = mask-set index); every target block uses token 0 for
     * I-JEPA (one learned mask token) and every mask set uses token 0 for V-JEPA 2: facebookresearch/vjepa2
     * {@code PredictorMultiSeqWrapper} passes {@code mask_index} = index of the clip-length (frames-per-clip) group,
     * and jepa4j trains one clip length, group 0 (the reference's pretraining recipes use one clip length too).
     *
     * @param c the configuration
     * @param numMaskSets mask sets the generator returns
     * @return token index per mask set
     */
    public static int[] maskTokenIndex(TrainConfig c, int numMaskSets) {
        int[] idx = new int[numMaskSets];
        if (!c.mask().type().equals("multiblock2d") && c.model().variant() != ModelVariant.VJEPA2) {
            for (int i = 0; i < numMaskSets; i++) {
                idx[i] = i;
            }
        }
        return idx;
    }

    /**
     * The training loader: shuffled, drop-last, {@code data.batch_size x replicas} samples per batch, masks
     * sampled per batch, seeded by {@code meta.seed}.
     *
     * @param c the configuration
     * @param source the samples
     * @param replicas data-parallel replicas (each gets {@code data.batch_size} samples)
     * @return the loader (close it)
     */
    public static ClipLoader trainLoader(TrainConfig c, VideoSource source, int replicas) {
        int batch = c.data().batchSize() * replicas;
        if (source.size() < batch) {
            throw new ConfigException("data.batch_size", "needs at least " + batch + " samples per batch ("
                    + replicas + " replica(s)), but " + source.description() + " has " + source.size());
        }
        return ClipLoader.builder()
                .setSource(source)
                .setBatchSize(batch)
                .optSampling(sampling(c))
                .optTransform(trainTransform(c))
                .optImageMode(isImage(c))
                .optWorkers(Math.max(1, c.data().numWorkers()))
                .optPrefetch(c.data().prefetch())
                .optSeed(c.meta().seed())
                .optShuffle(true)
                .optDropLast(true)
                .optMaskGenerator(maskGenerator(c))
                .build();
    }

    private static Range range(List<Double> pair) {
        return Range.of(pair.get(0), pair.get(1));
    }
}
