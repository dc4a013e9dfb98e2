package dev.modelc.codegen.testing;

import static dev.modelc.codegen.testing.Programs.*;
import static dev.modelc.loops.LoopIr.*;

import dev.modelc.check.DType;
import dev.modelc.loops.Expr;
import dev.modelc.loops.LType;
import dev.modelc.loops.LoopProgram;
import dev.modelc.loops.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * The Loop IR of a register-blocked f32 matmul C[M, N] = A[M, K] @ B[K, N], as a lowering would
 * write it: per 4 x 16 block of C, eight 8-lane accumulators; over k, A[i, k] splat and two
 * vector loads of B's row k; scalar loops for the rows past M / 4 * 4 and the columns past
 * N / 16 * 16.
 */
public final class MatmulTile {
    private MatmulTile() {}

    private static final LType V8 = vec(DType.F32, 8), F32 = scalar(DType.F32), IDX = LType.INDEX;
    private static final int ROWS = 4, HALVES = 2, LANES = 8;

    /** The tile program over dimensions M, K, N, its row blocks {@code rows} (serial or parallel). */
    public static LoopProgram program(Stmt.Schedule rows) {
        var stmts = new ArrayList<Stmt>();
        stmts.add(declare("mFull", IDX, mul(div(dim("M"), idx(ROWS)), idx(ROWS))));
        stmts.add(declare("nFull", IDX, mul(div(dim("N"), idx(ROWS * ROWS)), idx(ROWS * ROWS))));
        var block = new ArrayList<Stmt>();
        for (int r = 0; r < ROWS; r++) for (int h = 0; h < HALVES; h++) block.add(declare(acc(r, h), V8, splat(f32(0), LANES)));
        var kBody = new ArrayList<Stmt>();
        for (int h = 0; h < HALVES; h++) kBody.add(declare("b" + h, V8, load(1, add(add(mul(v("k"), dim("N")), v("j0")), idx(h * LANES)), V8)));
        for (int r = 0; r < ROWS; r++) {
            kBody.add(declare("a" + r, V8, splat(load(0, add(mul(add(v("i0"), idx(r)), dim("K")), v("k")), DType.F32), LANES)));
            for (int h = 0; h < HALVES; h++) kBody.add(assign(acc(r, h), fma(v("a" + r, V8), v("b" + h, V8), v(acc(r, h), V8))));
        }
        block.add(loop("k", idx(0), dim("K"), kBody.toArray(Stmt[]::new)));
        for (int r = 0; r < ROWS; r++) {
            for (int h = 0; h < HALVES; h++) block.add(store(2, add(add(mul(add(v("i0"), idx(r)), dim("N")), v("j0")), idx(h * LANES)), v(acc(r, h), V8)));
        }
        Stmt columns = loop("j0", idx(0), v("nFull", IDX), ROWS * ROWS, block.toArray(Stmt[]::new));
        var columnTail = new ArrayList<Stmt>();
        for (int r = 0; r < ROWS; r++) columnTail.add(dot(add(v("i0"), idx(r)), v("j")));
        Stmt tail = loop("j", v("nFull", IDX), dim("N"), columnTail.toArray(Stmt[]::new));
        stmts.add(new Stmt.Loop("i0", idx(0), v("mFull", IDX), ROWS, rows, block(columns, tail)));
        stmts.add(loop("i", v("mFull", IDX), dim("M"), loop("j", idx(0), dim("N"), dot(v("i"), v("j")))));
        var m = dimVar("M");
        var k = dimVar("K");
        var n = dimVar("N");
        return Programs.program(List.of("M", "K", "N"), List.of(input(0, "a", DType.F32, m, k), input(1, "b", DType.F32, k, n), temp(2, "c", DType.F32, m, n)),
                stmts.toArray(Stmt[]::new));
    }

    private static String acc(int r, int h) { return "c" + r + h; }

    /** C[i, j] = sum over k of A[i, k] * B[k, j], one scalar fma at a time. */
    private static Stmt dot(Expr i, Expr j) {
        return block(declare("s", F32, f32(0)),
                loop("k", idx(0), dim("K"), assign("s", fma(load(0, add(mul(i, dim("K")), v("k")), DType.F32),
                        load(1, add(mul(v("k"), dim("N")), j), DType.F32), v("s", F32)))),
                store(2, add(mul(i, dim("N")), j), v("s", F32)));
    }

    /** {@code n} floats uniform in [-1, 1) from {@code seed}. */
    public static float[] random(int n, long seed) {
        var r = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }
}
