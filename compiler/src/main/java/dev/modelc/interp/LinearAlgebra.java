package dev.modelc.interp;

import dev.modelc.interp.Value.Floats;
import dev.modelc.interp.Value.Ints;
import java.util.Arrays;

/** The matrix product, batched over equal leading axes. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    /** {@code [..., M, K] @ [..., K, N] -> [..., M, N]}; floats accumulate in double, integers wrap. */
    static Value matmul(Value a, Value b) {
        int[] ad = a.dims(), bd = b.dims();
        int r = ad.length;
        if (r < 2 || bd.length != r || a.dtype() != b.dtype()
                || !Arrays.equals(ad, 0, r - 2, bd, 0, r - 2) || ad[r - 1] != bd[r - 2]) {
            throw new InterpreterException("matmul: " + a.describe() + " @ " + b.describe() + " do not fit");
        }
        int batch = Dims.product(ad, 0, r - 2), m = ad[r - 2], k = ad[r - 1], n = bd[r - 1];
        int[] dims = ad.clone();
        dims[r - 1] = n;
        return switch (a) {
            case Floats x -> {
                double[] p = x.data(), q = ((Floats) b).data(), out = new double[batch * m * n];
                for (int t = 0; t < batch; t++) {
                    for (int i = 0; i < m; i++) {
                        int row = (t * m + i) * n, aRow = (t * m + i) * k;
                        for (int l = 0; l < k; l++) {
                            double av = p[aRow + l];
                            int bRow = (t * k + l) * n;
                            for (int j = 0; j < n; j++) out[row + j] += av * q[bRow + j];
                        }
                    }
                }
                yield Value.floats(x.dtype(), dims, out);
            }
            case Ints x -> {
                long[] p = x.data(), q = ((Ints) b).data(), out = new long[batch * m * n];
                for (int t = 0; t < batch; t++) {
                    for (int i = 0; i < m; i++) {
                        int row = (t * m + i) * n, aRow = (t * m + i) * k;
                        for (int l = 0; l < k; l++) {
                            long av = p[aRow + l];
                            int bRow = (t * k + l) * n;
                            for (int j = 0; j < n; j++) out[row + j] += av * q[bRow + j];
                        }
                    }
                }
                yield Value.ints(x.dtype(), dims, out);
            }
            case Value.Bools x -> throw new InterpreterException("matmul needs numbers, got " + a.describe());
        };
    }
}
