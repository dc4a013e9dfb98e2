package dev.modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.DType;
import dev.modelc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchesTest {
    private static List<Dataset> all(Batches batches) {
        List<Dataset> out = new ArrayList<>();
        batches.forEach(out::add);
        return out;
    }

    @Test
    void inOrderKeepsTheLastPartialBatch() {
        List<Dataset> batches = all(Batches.inOrder(DatasetTest.five(), 2));
        assertEquals(3, batches.size());
        assertEquals(Tensor.of(new int[] {0, 1}, 2), batches.get(0).labels());
        assertEquals(Tensor.of(new int[] {4}, 1), batches.get(2).labels());
        assertEquals(Tensor.of(new float[] {4, 14}, 1, 2), batches.get(2).features());
        assertEquals(1, Batches.inOrder(DatasetTest.five(), Long.MAX_VALUE).count());
        Dataset empty = new Dataset(Tensor.zeros(DType.F32, 0, 2), Tensor.zeros(DType.I32, 0));
        assertEquals(0, Batches.inOrder(empty, 4).count());
        assertFalse(Batches.shuffled(empty, 4, 1, 0).iterator().hasNext());
        assertThrows(IllegalArgumentException.class, () -> Batches.inOrder(empty, 0));
    }

    @Test
    void shuffledBatchesFollowTheSeedAndEpochPermutation() {
        Dataset d = DatasetTest.five();
        long[] order = Batches.permutation(5, 42, 3);
        List<Dataset> batches = all(Batches.shuffled(d, 2, 42, 3));
        assertEquals(List.of(2L, 2L, 1L), batches.stream().map(Dataset::size).toList());
        int[] seen = new int[5];
        int k = 0;
        for (Dataset batch : batches) {
            for (int label : batch.labels().toIntArray()) {
                assertEquals(order[k++], label);
                seen[label]++;
            }
            float[] f = batch.features().toFloatArray();
            for (int r = 0; r < batch.size(); r++) {
                assertEquals(f[2 * r] + 10, f[2 * r + 1], "rows move with their labels");
            }
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, seen);
    }

    @Test
    void permutationsAreDeterministicAndDifferPerEpochAndSeed() {
        long[] p = Batches.permutation(1000, 7, 0);
        assertArrayEquals(p, Batches.permutation(1000, 7, 0));
        assertFalse(Arrays.equals(p, Batches.permutation(1000, 7, 1)));
        assertFalse(Arrays.equals(p, Batches.permutation(1000, 8, 0)));
        long[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> Batches.permutation(5, 7, -1));
    }

    @Test
    void allPermutationsOfThreeAreEquallyLikely() {
        int epochs = 6000;
        Map<String, Integer> counts = new HashMap<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            counts.merge(Arrays.toString(Batches.permutation(3, 99, epoch)), 1, Integer::sum);
        }
        assertEquals(6, counts.size());
        double sigma = Math.sqrt(epochs * (1 / 6.0) * (5 / 6.0)); // about 29
        for (int count : counts.values()) {
            assertEquals(epochs / 6.0, count, 5 * sigma, counts.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void rowsAreTheSamplesEachBatchHolds() {
        var features = dev.modelc.runtime.Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6}, 7, 1);
        var data = new Dataset(features, dev.modelc.runtime.Tensor.of(new int[] {0, 1, 2, 3, 4, 5, 6}, 7));
        for (var batches : java.util.List.of(Batches.inOrder(data, 3), Batches.shuffled(data, 3, 11, 2))) {
            for (long b = 0; b < batches.count(); b++) {
                org.junit.jupiter.api.Assertions.assertEquals(batches.get(b), data.gather(batches.rows(b)));
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {6}, Batches.inOrder(data, 3).rows(2));
    }
}
