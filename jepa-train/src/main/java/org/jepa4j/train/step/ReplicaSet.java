package org.jepa4j.train.step;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.train.optim.Gradients;

/**
 * The data-parallel replicas of {@link JepaStep}, one per device, the model first: their threads (each with its own
 * PyTorch grad mode), the split of a micro-batch's rows over them, the sum of their gradients on the first device and
 * the copy of the first replica's weights to the others.
 */
final class ReplicaSet {

    private final JepaModel master;
    private final List<JepaModel> replicas; // replicas.get(0) == master
    private final Map<String, NDArray> trainable;
    private final ExecutorService pool;

    /**
     * Replicates {@code master} on {@code devices.get(1..)} (weights copied); the first device is the master's.
     *
     * @param master the model, replica 0 (not closed by {@link #closeCopies()})
     * @param devices one device per replica, the master's first
     */
    ReplicaSet(JepaModel master, List<Device> devices) {
        this.master = master;
        this.trainable = master.trainableParameters();
        List<JepaModel> list = new ArrayList<>();
        list.add(master);
        try {
            for (int i = 1; i < devices.size(); i++) {
                list.add(master.replicate(devices.get(i)));
            }
        } catch (RuntimeException e) {
            list.subList(1, list.size()).forEach(JepaModel::close);
            throw e;
        }
        this.replicas = List.copyOf(list);
        if (replicas.size() > 1) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(replicas.size(), r -> {
                Thread t = new Thread(r, "jepa4j-replica-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        } else {
            pool = null;
        }
    }

    /** The replicas, the master first (an unmodifiable list). */
    List<JepaModel> models() {
        return replicas;
    }

    /** Zeroes the gradients of every replica. */
    void zeroGradients() {
        for (JepaModel r : replicas) {
            Gradients.zero(r.trainableParameters());
        }
    }

    /**
     * Forward + backward of one micro-batch over all replicas, each on a contiguous slice of its rows; returns its
     * weighted per-set losses.
     */
    double[] forwardBackward(MicroBatch mb, long totalRows, StepPhases phases, ForwardBackward pass) {
        int rows = mb.size();
        int n = replicas.size();
        if (n == 1) {
            return pass.run(master, mb, 0, rows, (double) rows / totalRows, phases);
        }
        List<Future<double[]>> futures = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int from = (int) ((long) rows * r / n);
            int to = (int) ((long) rows * (r + 1) / n);
            JepaModel replica = replicas.get(r);
            double weight = (double) (to - from) / totalRows;
            futures.add(pool.submit(() -> pass.run(replica, mb, from, to, weight, null)));
        }
        double[] sum = new double[mb.masks().size()];
        RuntimeException failure = null;
        for (Future<double[]> f : futures) {
            try {
                double[] part = f.get();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += part[i];
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while waiting for a replica", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                failure = c instanceof RuntimeException re ? re : new IllegalStateException("replica failed: " + c, c);
            }
        }
        if (failure != null) {
            throw failure;
        }
        StepPhases.mark(phases, StepPhases.BACKWARD);
        return sum;
    }

    /** Adds the gradients of replicas 1..n-1 into the first replica's, on its device. */
    void reduceGradients() {
        if (replicas.size() == 1) {
            return;
        }
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                NDArray p = e.getValue();
                if (!p.hasGradient()) {
                    continue;
                }
                NDArray g = p.getGradient();
                for (int r = 1; r < replicas.size(); r++) {
                    NDArray other = replicas.get(r).trainableParameters().get(e.getKey()).getGradient();
                    g.addi(other.getDevice().equals(g.getDevice()) ? other : other.toDevice(g.getDevice(), false));
                }
            }
        }
    }

    /** Copies the first replica's weights to the others. */
    void broadcastWeights() {
        for (int r = 1; r < replicas.size(); r++) {
            replicas.get(r).copyWeightsFrom(master);
        }
    }

    /** Stops the replica threads. */
    void stopThreads() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Closes the replicas other than the master. */
    void closeCopies() {
        for (int r = 1; r < replicas.size(); r++) {
            replicas.get(r).close();
        }
    }
}
