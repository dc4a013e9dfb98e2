package dev.modelc.runtime.data;

import dev.modelc.runtime.CounterRandom;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * One epoch's batches over a dataset: consecutive runs of {@code batchSize} samples, taken in
 * order or in a shuffled order. The last batch keeps the remainder, with fewer rows, rather than
 * dropping it. Each batch is a {@link Dataset} holding copies of its rows.
 *
 * <p>The shuffled order is a Fisher–Yates shuffle whose draws come from {@link CounterRandom}
 * under key {@code seed} and a stream per epoch, so it depends only on (N, seed, epoch).
 */
public final class Batches implements Iterable<Dataset> {
    /** The first shuffle stream, named so that no other user of the seed draws from it. */
    private static final long SHUFFLE_STREAM = CounterRandom.hash("modelc.shuffle");
    /** The largest Java array: a permutation is held in one. */
    private static final long MAX_SAMPLES = Integer.MAX_VALUE - 8;

    private final Dataset data;
    private final long batchSize;
    /** The sample order, or null for 0, 1, 2, … */
    private final long[] order;

    private Batches(Dataset data, long batchSize, long[] order) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        this.batchSize = batchSize;
        this.order = order;
    }

    /** Batches of the samples in their stored order. */
    public static Batches inOrder(Dataset data, long batchSize) {
        return new Batches(data, batchSize, null);
    }

    /** Batches of the samples in the order {@link #permutation}{@code (N, seed, epoch)}. */
    public static Batches shuffled(Dataset data, long batchSize, long seed, long epoch) {
        return new Batches(data, batchSize, permutation(data.size(), seed, epoch));
    }

    /**
     * A permutation of {@code 0 … n-1}, by Fisher–Yates: for {@code i} from {@code n-1} down to 1,
     * swap position {@code i} with a position {@code j} in {@code [0, i]} drawn from the 64 bits at
     * index {@code i}. {@code j} is the high word of {@code bits * (i + 1)}, which is uniform up
     * to a bias below {@code (i + 1) / 2^64}, far under anything a training run could notice.
     */
    public static long[] permutation(long n, long seed, long epoch) {
        if (n < 0 || n > MAX_SAMPLES) {
            throw new IllegalArgumentException("cannot permute " + n + " samples (at most " + MAX_SAMPLES + ")");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, not " + epoch);
        }
        long[] order = new long[(int) n];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long stream = SHUFFLE_STREAM + epoch;
        for (int i = order.length - 1; i > 0; i--) {
            int j = (int) Math.unsignedMultiplyHigh(CounterRandom.bits(seed, stream, i), i + 1L);
            long swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** The number of batches: N / batchSize, rounded up. */
    public long count() {
        return Math.ceilDiv(data.size(), batchSize);
    }

    /** Batch {@code index}, from 0. */
    public Dataset get(long index) {
        Objects.checkIndex(index, count());
        long from = index * batchSize;
        long to = from + Math.min(batchSize, data.size() - from);
        if (order == null) {
            return data.slice(from, to);
        }
        return data.gather(rows(index));
    }

    /** The samples of batch {@code index}: what {@link #get} copies, as indices into the dataset. */
    public long[] rows(long index) {
        Objects.checkIndex(index, count());
        long from = index * batchSize;
        long[] rows = new long[(int) Math.min(batchSize, data.size() - from)];
        if (order == null) {
            for (int k = 0; k < rows.length; k++) rows[k] = from + k;
        } else {
            System.arraycopy(order, (int) from, rows, 0, rows.length);
        }
        return rows;
    }

    @Override
    public Iterator<Dataset> iterator() {
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count();
            }

            @Override
            public Dataset next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }
}
