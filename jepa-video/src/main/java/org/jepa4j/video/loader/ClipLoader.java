package org.jepa4j.video.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.mask.MaskGenerator;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.transform.ClipTransform;

/**
 * Parallel, reproducible loader of video clips (or images) into {@link Batch}es of float32 NDArrays.
 *
 * <pre>{@code
 * try (ClipLoader loader = ClipLoader.builder()
 *         .setSource(VideoSource.fromFolder(Path.of("videos")))
 *         .setBatchSize(8)
 *         .optSampling(ClipSampling.ofStep(16, 4))
 *         .optTransform(ClipTransform.train(224))
 *         .optWorkers(2)
 *         .optSeed(42)
 *         .build()) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         for (Batch batch : loader.epoch(epoch)) {
 *             try (batch) {
 *                 NDArray x = batch.video(); // [B, 3, 16, 224, 224]
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> {@code workers} daemon threads decode samples in parallel, each with its own FFmpeg
 * decoder; at most {@code prefetch} batches are decoded ahead of the consumer. NDArrays are created on
 * the consumer's thread when a batch is handed out.
 *
 * <p><b>Reproducibility.</b> The epoch's order is a permutation drawn from (seed, epoch); sample
 * {@code p} of the epoch draws its window, crop and flip from its own generator seeded by
 * (seed, epoch, p); batches are handed out in a fixed order. The same seed gives the same batches for
 * any number of workers. Masks come from a generator seeded by (seed, epoch, batch index).
 *
 * <p><b>Bad files.</b> A file that cannot be decoded is logged once at WARN (file and reason), counted in
 * {@link #stats()}, and known bad files are not decoded again. By default the sample is replaced by another
 * one drawn from (seed, epoch, p, attempt); if every file is bad the iterator fails with an exception
 * rather than waiting. With {@link Builder#optReplaceBadFiles(boolean) optReplaceBadFiles(false)} the
 * sample is left out of its batch instead and listed in {@link Batch#skipped()} with the reason (a batch
 * may then have fewer rows, or none).
 */
public final class ClipLoader implements Iterable<Batch>, AutoCloseable {

    final VideoSource source;
    final ClipSampling sampling;
    final ClipTransform transform;
    final boolean imageMode;
    final int batchSize;
    final int workers;
    final int prefetch;
    final long seed;
    final boolean shuffle;
    final boolean dropLast;
    final boolean replaceBadFiles;
    final MaskGenerator maskGenerator;
    final int rowsPerSample;
    final int floatsPerRow;
    private final NDManager manager;
    private final boolean ownsManager;
    private final SampleWorkers sampleWorkers;

    final LongAdder batchesDelivered = new LongAdder();
    final LongAdder waitNanos = new LongAdder();
    private final AtomicInteger nextEpoch = new AtomicInteger();
    private volatile boolean closed;
    private EpochIterator current;

    private ClipLoader(Builder b) {
        this.source = b.source;
        this.imageMode = b.imageMode;
        this.sampling = b.imageMode ? ClipSampling.singleFrame().withClipsPerVideo(b.sampling.clipsPerVideo()) : b.sampling;
        this.transform = b.transform;
        this.batchSize = b.batchSize;
        this.workers = b.workers;
        this.prefetch = b.prefetch > 0 ? b.prefetch : 2 * b.workers;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.replaceBadFiles = b.replaceBadFiles;
        this.maskGenerator = b.maskGenerator;
        this.rowsPerSample = SampleReader.rowsPerSample(sampling, transform);
        this.floatsPerRow = transform.outputLength(sampling.framesPerClip());
        if (b.manager != null) {
            this.manager = b.manager;
            this.ownsManager = false;
        } else {
            this.manager = b.device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(b.device);
            this.ownsManager = true;
        }
        this.sampleWorkers = new SampleWorkers(this, workers, b.decoderThreads); // starts the threads
    }

    /**
     * A new builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Iterates the next epoch (0, 1, 2, ... on successive calls); closes the previous epoch's iterator. */
    @Override
    public EpochIterator iterator() {
        return epoch(nextEpoch.getAndIncrement());
    }

    /**
     * Iterates a given epoch; closes any epoch iterator still open. Subsequent {@link #iterator()} calls
     * continue with {@code epoch + 1}.
     *
     * @param epoch epoch number (selects the shuffle order and the random streams)
     * @return the epoch's batches in order; also {@link Iterable} for for-each loops
     */
    public synchronized EpochIterator epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * Iterates a given epoch from batch {@code firstBatch} on, as when resuming a run in the middle of an
     * epoch: the batches (order, clips and masks) are exactly those a full iteration would hand out from
     * that position, and the skipped ones are not decoded.
     *
     * @param epoch epoch number (selects the shuffle order and the random streams)
     * @param firstBatch index of the first batch to hand out, in [0, batchesPerEpoch()]
     * @return the epoch's remaining batches in order
     */
    public synchronized EpochIterator epoch(int epoch, int firstBatch) {
        ensureOpen();
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("firstBatch must be in [0, " + batchesPerEpoch() + "], got " + firstBatch);
        }
        if (current != null) {
            current.close();
        }
        nextEpoch.set(epoch + 1);
        current = new EpochIterator(this, epoch, epochOrder(epoch), manager, firstBatch);
        return current;
    }

    /**
     * Batches in one epoch.
     *
     * @return batches in one epoch
     */
    public int batchesPerEpoch() {
        int n = source.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * Rows per sample in the batch tensor: clips per video x spatial views.
     *
     * @return rows per sample in the batch tensor: clips per video x spatial views
     */
    public int rowsPerSample() {
        return rowsPerSample;
    }

    /**
     * The source being loaded.
     *
     * @return the source being loaded
     */
    public VideoSource source() {
        return source;
    }

    /**
     * A snapshot of the counters.
     *
     * @return a snapshot of the counters
     */
    public LoaderStats stats() {
        return new LoaderStats(sampleWorkers.samplesDecoded.sum(), sampleWorkers.badFiles,
                sampleWorkers.badSkips.sum(), batchesDelivered.sum(), waitNanos.sum(), sampleWorkers.workNanos.sum());
    }

    /**
     * True once {@link #close()} was called.
     *
     * @return true once {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the workers (waiting for the sample each is decoding), releases their decoders, and closes the
     * NDManager if the loader created it. Batches already handed out stay valid until closed.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (current != null) {
                current.close();
            }
        }
        sampleWorkers.close();
        if (ownsManager) {
            manager.close();
        }
    }

    void submit(SampleWorkers.SampleJob job) {
        sampleWorkers.submit(job);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("ClipLoader is closed");
        }
    }

    private int[] epochOrder(int epoch) {
        int n = source.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random rng = new Random(SampleSeeds.derive(seed, SampleSeeds.SHUFFLE, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return order;
    }

    /** Builder of {@link ClipLoader}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {

        private VideoSource source;
        private ClipSampling sampling = ClipSampling.ofStep(16, 4);
        private ClipTransform transform = ClipTransform.train(224);
        private boolean imageMode;
        private int batchSize;
        private int workers = 1;
        private int prefetch;
        private long seed;
        private boolean shuffle = true;
        private boolean dropLast;
        private boolean replaceBadFiles = true;
        private MaskGenerator maskGenerator;
        private NDManager manager;
        private Device device;
        private int decoderThreads = 1;

        private Builder() {
        }

        /**
         * The samples to load (required).
         *
         * @param source the samples to load (required)
         * @return this builder
         */
        public Builder setSource(VideoSource source) {
            this.source = source;
            return this;
        }

        /**
         * Samples per batch (required, >= 1).
         *
         * @param batchSize samples per batch (required, >= 1)
         * @return this builder
         */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sampling, transform, image mode, batch size and workers at once.
         *
         * @param reading the settings
         * @return this builder
         */
        public Builder optReading(ClipReading reading) {
            return setBatchSize(reading.batchSize()).optSampling(reading.sampling()).optTransform(reading.transform())
                    .optImageMode(reading.imageMode()).optWorkers(reading.workers());
        }

        /**
         * Clip sampling (default: 16 frames, step 4, one clip per video).
         *
         * @param sampling clip sampling (default: 16 frames, step 4, one clip per video)
         * @return this builder
         */
        public Builder optSampling(ClipSampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /**
         * Spatial transform (default: {@code ClipTransform.train(224)}).
         *
         * @param transform spatial transform (default: {@code ClipTransform.train(224)})
         * @return this builder
         */
        public Builder optTransform(ClipTransform transform) {
            this.transform = Objects.requireNonNull(transform, "transform");
            return this;
        }

        /**
         * Image mode: one frame per sample and tensors [R, C, H, W] (default false).
         *
         * @param imageMode image mode: one frame per sample and tensors [R, C, H, W] (default false)
         * @return this builder
         */
        public Builder optImageMode(boolean imageMode) {
            this.imageMode = imageMode;
            return this;
        }

        /**
         * Worker threads (default 1).
         *
         * @param workers worker threads (default 1)
         * @return this builder
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Batches prepared ahead of the consumer, including those being decoded (default 2 x workers).
         *
         * @param prefetch batches prepared ahead of the consumer, including those being decoded (default 2 x workers)
         * @return this builder
         */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Seed of every random choice (default 0).
         *
         * @param seed seed of every random choice (default 0)
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Shuffle the samples each epoch (default true).
         *
         * @param shuffle shuffle the samples each epoch (default true)
         * @return this builder
         */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Drop the last incomplete batch (default false).
         *
         * @param dropLast drop the last incomplete batch (default false)
         * @return this builder
         */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * What to do with a sample whose file cannot be decoded (default true). True (training): replace it by
         * another sample, so every batch is full. False (evaluation, feature extraction): leave it out of its
         * batch and list it in {@link Batch#skipped()}; the batch then has fewer rows. Either way the file is
         * logged once at WARN and counted in {@link #stats()}.
         *
         * @param replaceBadFiles whether to replace a bad sample by another one
         * @return this builder
         */
        public Builder optReplaceBadFiles(boolean replaceBadFiles) {
            this.replaceBadFiles = replaceBadFiles;
            return this;
        }

        /**
         * Masks to sample for each batch (default none).
         *
         * @param maskGenerator masks to sample for each batch (default none)
         * @return this builder
         */
        public Builder optMaskGenerator(MaskGenerator maskGenerator) {
            this.maskGenerator = maskGenerator;
            return this;
        }

        /**
         * Manager under which batches are created (the loader does not close it).
         *
         * @param manager manager under which batches are created (the loader does not close it)
         * @return this builder
         */
        public Builder optManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Device of the loader's own manager when no manager is given (default: DJL's default device).
         *
         * @param device device of the loader's own manager when no manager is given (default: DJL's default device)
         * @return this builder
         */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * FFmpeg decoding threads per worker (default 1; 0 = FFmpeg's automatic choice).
         *
         * @param threads FFmpeg decoding threads per worker (default 1; 0 = FFmpeg's automatic choice)
         * @return this builder
         */
        public Builder optDecoderThreads(int threads) {
            this.decoderThreads = threads;
            return this;
        }

        /**
         * Builds the loader and starts its worker threads.
         *
         * @return the loader, its workers started
         * @throws IllegalArgumentException naming the setting at fault
         */
        public ClipLoader build() {
            if (source == null) {
                throw new IllegalArgumentException("ClipLoader: source is required (setSource)");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("ClipLoader: batch size must be >= 1 (setBatchSize), got " + batchSize);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("ClipLoader: workers must be >= 1, got " + workers);
            }
            if (prefetch < 0) {
                throw new IllegalArgumentException("ClipLoader: prefetch must be >= 1, got " + prefetch);
            }
            if (decoderThreads < 0) {
                throw new IllegalArgumentException("ClipLoader: decoder threads must be >= 0, got " + decoderThreads);
            }
            if (dropLast && source.size() < batchSize) {
                throw new IllegalArgumentException("ClipLoader: drop-last with batch size " + batchSize
                        + " and only " + source.size() + " samples gives no batch");
            }
            if (manager != null && device != null && !manager.getDevice().equals(device)) {
                throw new IllegalArgumentException("ClipLoader: manager is on " + manager.getDevice()
                        + " but device " + device + " was requested; give one of them");
            }
            return new ClipLoader(this);
        }
    }
}
