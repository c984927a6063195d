package org.jepa4j.video.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The batches of one epoch, in order. Keeps up to the loader's prefetch depth of batches in work ahead of
 * the consumer. Also an {@link Iterable} of itself, for for-each loops.
 */
public final class EpochIterator implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {

    private final ClipLoader loader;
    private final int epoch;
    private final int[] order;
    private final NDManager manager;
    private final int numBatches;
    private final ArrayDeque<PendingBatch> inFlight = new ArrayDeque<>();
    private int nextSubmit;
    private int nextDeliver;
    private volatile boolean closed;

    EpochIterator(ClipLoader loader, int epoch, int[] order, NDManager manager, int firstBatch) {
        this.loader = loader;
        this.epoch = epoch;
        this.order = order;
        this.manager = manager;
        this.numBatches = loader.batchesPerEpoch();
        this.nextSubmit = firstBatch;
        this.nextDeliver = firstBatch;
        fill();
    }

    /**
     * The epoch number.
     *
     * @return the epoch number
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Batches in this epoch.
     *
     * @return batches in this epoch
     */
    public int size() {
        return numBatches;
    }

    @Override
    public Iterator<Batch> iterator() {
        return this;
    }

    @Override
    public synchronized boolean hasNext() {
        return !closed && nextDeliver < numBatches;
    }

    /**
     * Waits for the next batch and wraps it as NDArrays in a new sub-manager.
     *
     * @throws IllegalStateException if the loader was closed or no readable sample could be found
     */
    @Override
    public synchronized Batch next() {
        if (!hasNext()) {
            loader.ensureOpen();
            throw new NoSuchElementException("epoch " + epoch + " has no more batches (" + numBatches + ")");
        }
        fill();
        PendingBatch p = inFlight.poll();
        long t0 = System.nanoTime();
        PendingBatch ready;
        try {
            ready = await(p);
        } finally {
            loader.waitNanos.add(System.nanoTime() - t0);
        }
        nextDeliver++;
        fill();
        loader.batchesDelivered.increment();
        return toBatch(ready);
    }

    /** Stops this epoch: batches not yet handed out are abandoned (their pending samples are skipped). */
    @Override
    public synchronized void close() {
        closed = true;
        for (PendingBatch p : inFlight) {
            p.cancelled = true;
        }
        inFlight.clear();
    }

    private PendingBatch await(PendingBatch p) {
        while (true) {
            try {
                return p.done.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (loader.isClosed() || closed) {
                    throw new IllegalStateException("loader closed while waiting for batch " + p.index + " of epoch " + epoch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch " + p.index, e);
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                throw new IllegalStateException("loading batch " + p.index + " of epoch " + epoch + " failed: "
                        + cause.getMessage(), cause);
            }
        }
    }

    private void fill() {
        while (!closed && nextSubmit < numBatches && nextSubmit - nextDeliver < loader.prefetch) {
            int b = nextSubmit++;
            int first = b * loader.batchSize;
            int samples = Math.min(loader.batchSize, order.length - first);
            PendingBatch p = new PendingBatch(epoch, b, samples, first, loader.rowsPerSample, loader.floatsPerRow);
            inFlight.add(p);
            for (int slot = 0; slot < samples; slot++) {
                loader.submit(new SampleWorkers.SampleJob(p, slot, order));
            }
        }
    }

    private Batch toBatch(PendingBatch p) {
        int rows = p.rows; // rows of loaded samples, at the front of the buffers
        int t = loader.sampling.framesPerClip();
        int s = loader.transform.cropSize();
        Shape shape = loader.imageMode ? new Shape(rows, 3, s, s) : new Shape(rows, 3, t, s, s);
        List<SkippedSample> skipped = new ArrayList<>();
        for (SkippedSample k : p.skipped) {
            if (k != null) {
                skipped.add(k);
            }
        }
        NDManager sub = manager.newSubManager();
        try {
            // [R, C, T, H, W] float32 (copied)
            NDArray video = sub.create(FloatBuffer.wrap(p.data, 0, rows * loader.floatsPerRow), shape);
            return new Batch(sub, video, Arrays.copyOf(p.labels, rows), Arrays.asList(p.paths).subList(0, rows),
                    Arrays.copyOf(p.sourceIndices, rows), skipped, p.masks, epoch, p.index, loader.rowsPerSample);
        } catch (RuntimeException e) {
            sub.close();
            throw e;
        }
    }
}
