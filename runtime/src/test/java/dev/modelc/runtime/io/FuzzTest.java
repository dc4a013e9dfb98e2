package dev.modelc.runtime.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.modelc.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random byte flips of valid files: a reader either returns a tensor or throws TensorFormatException. */
class FuzzTest {
    private static final int CASES = 2000;

    @FunctionalInterface
    interface Reader {
        void read(byte[] file) throws TensorFormatException;
    }

    @Test
    void npyMutations() throws Exception {
        List<byte[]> seeds = TestTensors.all(3).stream()
                .filter(t -> t.dtype().npyDescr().isPresent())
                .map(t -> {
                    try {
                        return Npy.toBytes(t);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();
        fuzz(seeds, file -> Npy.read(file, "fuzz.npy"), 11);
    }

    @Test
    void safetensorsMutations() {
        List<Tensor> all = TestTensors.all(4);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            tensors.put("t" + i, all.get(i * 7 + 4));
        }
        byte[] seed = SafeTensors.toBytes(tensors, Map.of("k", "v"));
        fuzz(List.of(seed, SafeTensors.toBytes(Map.of("x", all.get(5)), Map.of())), file -> SafeTensors.read(file, "fuzz.safetensors"), 12);
    }

    private static void fuzz(List<byte[]> seeds, Reader reader, long seed) {
        Random random = new Random(seed);
        int failures = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] file = seeds.get(random.nextInt(seeds.size())).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips && file.length > 0; f++) {
                int at = random.nextInt(file.length);
                // Mostly flip one bit; sometimes write a digit or a boundary byte, which reaches deeper into parsers.
                file[at] = switch (random.nextInt(3)) {
                    case 0 -> (byte) (file[at] ^ (1 << random.nextInt(8)));
                    case 1 -> (byte) ('0' + random.nextInt(10));
                    default -> (byte) (random.nextBoolean() ? 0xff : 0);
                };
            }
            if (random.nextInt(10) == 0) {
                file = java.util.Arrays.copyOf(file, random.nextInt(file.length + 1));
            }
            try {
                reader.read(file);
            } catch (TensorFormatException expected) {
                failures++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("case " + i + " threw " + e, e);
            }
        }
        assertTrue(failures > 0, "the fuzzer should hit some malformed inputs");
    }
}
