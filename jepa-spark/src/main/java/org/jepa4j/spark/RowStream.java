package org.jepa4j.spark;

import java.io.InterruptedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.spark.sql.Row;

/**
 * A bounded hand-over of rows from the thread that decodes and encodes a partition to the Spark task thread that
 * consumes them (and writes Parquet), so the task streams: at most {@code capacity} rows wait in memory, and the
 * producer blocks when Spark falls behind. A failure of the producer is rethrown to the consumer.
 */
final class RowStream implements Iterator<Row> {

    private static final Object END = new Object();

    private record Failure(Throwable cause) {}

    private final BlockingQueue<Object> queue;
    private Object next;

    RowStream(int capacity) {
        queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Producer side: hands over one row, waiting for room. */
    void put(Row row) throws InterruptedIOException {
        offer(row);
    }

    /** Producer side: no more rows. */
    void end() {
        try {
            offer(END);
        } catch (InterruptedIOException e) {
            // the task is over: nobody reads any more
        }
    }

    /** Producer side: the partition failed. */
    void fail(Throwable cause) {
        try {
            offer(new Failure(cause));
        } catch (InterruptedIOException e) {
            // the task is over: nobody reads any more
        }
    }

    private void offer(Object o) throws InterruptedIOException {
        try {
            queue.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("partition extraction stopped (task ended)");
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for encoded clips", e);
            }
        }
        if (next instanceof Failure f) {
            throw new IllegalStateException("feature extraction of the partition failed: " + f.cause(), f.cause());
        }
        return next != END;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = (Row) next;
        next = null;
        return r;
    }
}
