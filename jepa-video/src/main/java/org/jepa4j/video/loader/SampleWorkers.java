package org.jepa4j.video.loader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.decode.UnreadableVideoException;
import org.jepa4j.video.source.VideoSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoding threads of a {@link ClipLoader}: each takes sample jobs from a shared queue and decodes the sample
 * into its slot of a {@link PendingBatch} with its own FFmpeg decoder; the thread that fills a batch's last slot
 * compacts it, samples its masks and completes it. A file that cannot be decoded is remembered (and logged once at
 * WARN, under the loader's logger), then the sample is replaced by another one drawn from (seed, epoch, position,
 * attempt) or, without replacement, left out of its batch as a {@link SkippedSample}.
 */
final class SampleWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(ClipLoader.class);
    private static final AtomicInteger LOADER_IDS = new AtomicInteger();
    private static final int MAX_ATTEMPTS = 100;

    private final ClipLoader loader;
    private final int decoderThreads;
    private final LinkedBlockingQueue<SampleJob> jobs = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Files known to be unreadable, with the reason. */
    final Map<Path, String> badFiles = new ConcurrentHashMap<>();
    final LongAdder samplesDecoded = new LongAdder();
    final LongAdder badSkips = new LongAdder();
    final LongAdder workNanos = new LongAdder();

    /**
     * Starts {@code workers} daemon threads reading {@code loader}'s settings.
     *
     * @param loader the loader whose source, sampling, transform, seed and batch layout the workers use
     * @param workers number of threads
     * @param decoderThreads FFmpeg decoding threads per worker (0: FFmpeg's choice)
     */
    SampleWorkers(ClipLoader loader, int workers, int decoderThreads) {
        this.loader = loader;
        this.decoderThreads = decoderThreads;
        int id = LOADER_IDS.incrementAndGet();
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::workerLoop, "jepa4j-clip-loader-" + id + "-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Queues one sample to decode. */
    void submit(SampleJob job) {
        jobs.add(job);
    }

    /** Drops the queued jobs, interrupts the threads and waits (up to 30 s each) for the sample each is decoding. */
    void close() {
        jobs.clear();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                LOG.warn("loader worker {} did not stop within 30 s", t.getName());
            }
        }
    }

    private void workerLoop() {
        ClipDecoder decoder = new ClipDecoder(decoderThreads, ClipDecoder.DEFAULT_SEEK_THRESHOLD,
                org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR);
        try (SampleReader reader = new SampleReader(decoder, loader.sampling, loader.transform)) {
            while (!loader.isClosed()) {
                SampleJob job;
                try {
                    job = jobs.take();
                } catch (InterruptedException e) {
                    break;
                }
                run(job, reader);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("loader worker {} stopped on an unexpected error", Thread.currentThread().getName(), e);
        }
    }

    /** Fills one sample of a batch (replacing or skipping bad files); completes the batch after its last sample. */
    private void run(SampleJob job, SampleReader reader) {
        PendingBatch batch = job.batch();
        if (batch.cancelled || loader.isClosed() || batch.done.isDone()) {
            return;
        }
        try {
            fill(batch, job.slot(), job.order(), reader);
            if (batch.remaining.decrementAndGet() == 0) {
                batch.compact();
                if (loader.maskGenerator != null && batch.rows > 0) {
                    Random rng = new Random(SampleSeeds.derive(loader.seed, SampleSeeds.MASKS, batch.epoch,
                            batch.index));
                    batch.masks = loader.maskGenerator.sample(batch.rows, rng);
                }
                batch.done.complete(batch);
            }
        } catch (RuntimeException | Error e) {
            batch.done.completeExceptionally(e);
        }
    }

    private void fill(PendingBatch batch, int slot, int[] order, SampleReader reader) {
        int n = loader.source.size();
        int position = batch.firstPosition + slot;
        int attempts = loader.replaceBadFiles ? MAX_ATTEMPTS : 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int idx = attempt == 0 ? order[position]
                    : new Random(SampleSeeds.derive(loader.seed, SampleSeeds.REPLACE, batch.epoch, position, attempt))
                            .nextInt(n);
            VideoSample sample = loader.source.get(idx);
            String known = badFiles.get(sample.path());
            String reason = known != null ? known : read(batch, slot, position, attempt, idx, sample, reader);
            if (reason == null) {
                return;
            }
            badSkips.increment();
            if (!loader.replaceBadFiles) {
                batch.skipped[slot] = new SkippedSample(position, idx, sample.path(), reason);
                return;
            }
            requireSomeReadable(n);
        }
        throw new IllegalStateException("no readable sample found after " + MAX_ATTEMPTS + " attempts (epoch "
                + batch.epoch + ", position " + position + "); " + badFiles.size() + " of " + n + " files in "
                + loader.source.description() + " are unreadable");
    }

    /**
     * Decodes source sample {@code idx} into slot {@code slot} of the batch.
     *
     * @return null on success, else why the file is unreadable (logged at WARN the first time the file fails)
     */
    private String read(PendingBatch batch, int slot, int position, int attempt, int idx, VideoSample sample,
            SampleReader reader) {
        Random rng = new Random(SampleSeeds.derive(loader.seed, SampleSeeds.SAMPLE, batch.epoch, position, attempt));
        int rowsPerSample = loader.rowsPerSample;
        long t0 = System.nanoTime();
        try {
            reader.read(sample.path(), rng, batch.data, slot * rowsPerSample * loader.floatsPerRow);
            for (int r = slot * rowsPerSample; r < (slot + 1) * rowsPerSample; r++) {
                batch.labels[r] = sample.label();
                batch.paths[r] = sample.path();
                batch.sourceIndices[r] = idx;
            }
            samplesDecoded.increment();
            return null;
        } catch (UnreadableVideoException e) {
            if (badFiles.putIfAbsent(sample.path(), e.reason()) == null) {
                LOG.warn("skipping unreadable file {}: {}", sample.path(), e.reason());
            }
            return e.reason();
        } finally {
            workNanos.add(System.nanoTime() - t0);
        }
    }

    private void requireSomeReadable(int n) {
        if (badFiles.size() >= n) {
            throw new IllegalStateException("all " + n + " files of " + loader.source.description()
                    + " are unreadable, e.g. " + badFiles.entrySet().iterator().next());
        }
    }

    /** One sample to decode: slot {@code slot} of {@code batch}, epoch order {@code order}. */
    record SampleJob(PendingBatch batch, int slot, int[] order) {
    }
}
