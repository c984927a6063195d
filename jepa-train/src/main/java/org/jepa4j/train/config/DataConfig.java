package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} section: where clips come from and their geometry (frames, tubelet, crop, patch).
 *
 * @param datasetType {@code video} (clips) or {@code image} (I-JEPA: one frame, tubelet 1)
 * @param datasets index files ("path label" lines) or folders to read samples from
 * @param datasetsWeights sampling weight per dataset (empty: uniform over all samples)
 * @param batchSize clips per optimizer step on one device (before gradient accumulation)
 * @param numClips clips sampled per video
 * @param numFrames frames per clip
 * @param tubeletSize frames per token along time
 * @param samplingRate frame step between sampled frames (used when {@code fps} is null)
 * @param fps frames per second to sample at, V-JEPA 2 style (frame step {@code ceil(video fps) / fps} per video),
 *     or null to use {@code samplingRate}
 * @param cropSize square crop side in pixels
 * @param patchSize patch side in pixels
 * @param numWorkers decoding threads
 * @param filterShortVideos skip videos shorter than one clip instead of padding them
 * @param prefetch batches queued ahead of the trainer
 */
public record DataConfig(
        String datasetType,
        List<String> datasets,
        List<Double> datasetsWeights,
        int batchSize,
        int numClips,
        int numFrames,
        int tubeletSize,
        int samplingRate,
        Double fps,
        int cropSize,
        int patchSize,
        int numWorkers,
        boolean filterShortVideos,
        int prefetch) {

    static final String S = "data";

    /** Validates every field; messages name the key path and the value. */
    public DataConfig {
        Checks.oneOf(S + ".dataset_type", datasetType, List.of("video", "image"));
        datasets = List.copyOf(datasets);
        datasetsWeights = List.copyOf(datasetsWeights);
        if (!datasetsWeights.isEmpty() && datasetsWeights.size() != datasets.size()) {
            throw new ConfigException(S + ".datasets_weights", "needs one weight per dataset ("
                    + datasets.size() + "), got " + datasetsWeights.size());
        }
        for (int i = 0; i < datasetsWeights.size(); i++) {
            Checks.nonNegative(S + ".datasets_weights[" + i + "]", datasetsWeights.get(i));
        }
        Checks.positive(S + ".batch_size", batchSize);
        Checks.positive(S + ".num_clips", numClips);
        Checks.positive(S + ".num_frames", numFrames);
        Checks.positive(S + ".tubelet_size", tubeletSize);
        Checks.positive(S + ".sampling_rate", samplingRate);
        if (fps != null && !(fps > 0 && Double.isFinite(fps))) {
            throw new ConfigException(S + ".fps", "must be > 0 (or null to use sampling_rate), got " + fps);
        }
        Checks.positive(S + ".crop_size", cropSize);
        Checks.positive(S + ".patch_size", patchSize);
        Checks.nonNegative(S + ".num_workers", numWorkers);
        Checks.positive(S + ".prefetch", prefetch);
        if (numFrames % tubeletSize != 0) {
            throw new ConfigException(S + ".num_frames", "must be a multiple of data.tubelet_size ("
                    + tubeletSize + "), got " + numFrames);
        }
        if (cropSize % patchSize != 0) {
            throw new ConfigException(S + ".crop_size", "must be a multiple of data.patch_size ("
                    + patchSize + "), got " + cropSize);
        }
        if (datasetType.equals("image") && (numFrames != 1 || tubeletSize != 1)) {
            throw new ConfigException(S + ".num_frames", "must be 1 with tubelet_size 1 for dataset_type image, got "
                    + numFrames + " frames, tubelet " + tubeletSize);
        }
    }

    /**
     * V-JEPA ViT-L/16 data defaults: 16 frames, step 4, tubelet 2, 224 px, patch 16, batch 24.
     *
     * @return V-JEPA ViT-L/16 data defaults: 16 frames, step 4, tubelet 2, 224 px, patch 16, batch 24
     */
    public static DataConfig defaults() {
        return new DataConfig("video", List.of(), List.of(), 24, 1, 16, 2, 4, null, 224, 16, 2, false, 2);
    }

    /**
     * Tokens along time, height and width: {@code [numFrames/tubelet, crop/patch, crop/patch]}.
     *
     * @return tokens along time, height and width: {@code [numFrames/tubelet, crop/patch, crop/patch]}
     */
    public int[] tokenGrid() {
        return new int[] {numFrames / tubeletSize, cropSize / patchSize, cropSize / patchSize};
    }

    /**
     * Total tokens per clip.
     *
     * @return total tokens per clip
     */
    public int numTokens() {
        int[] g = tokenGrid();
        return g[0] * g[1] * g[2];
    }

    static DataConfig from(YamlSection y) {
        DataConfig d = defaults();
        DataConfig out = new DataConfig(
                y.string("dataset_type", d.datasetType),
                y.strings("datasets", d.datasets),
                y.numbers("datasets_weights", d.datasetsWeights),
                y.integer("batch_size", d.batchSize),
                y.integer("num_clips", d.numClips),
                y.integer("num_frames", d.numFrames),
                y.integer("tubelet_size", d.tubeletSize),
                y.integer("sampling_rate", d.samplingRate),
                y.optNumber("fps"),
                y.integer("crop_size", d.cropSize),
                y.integer("patch_size", d.patchSize),
                y.integer("num_workers", d.numWorkers),
                y.bool("filter_short_videos", d.filterShortVideos),
                y.integer("prefetch", d.prefetch));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset_type", datasetType);
        m.put("datasets", datasets);
        m.put("datasets_weights", datasetsWeights);
        m.put("batch_size", batchSize);
        m.put("num_clips", numClips);
        m.put("num_frames", numFrames);
        m.put("tubelet_size", tubeletSize);
        m.put("sampling_rate", samplingRate);
        m.put("fps", fps);
        m.put("crop_size", cropSize);
        m.put("patch_size", patchSize);
        m.put("num_workers", numWorkers);
        m.put("filter_short_videos", filterShortVideos);
        m.put("prefetch", prefetch);
        return m;
    }
}
