package dev.modelc.codegen.llvm;

import dev.modelc.loops.Expr;
import dev.modelc.loops.LoopUsage;
import dev.modelc.loops.Stmt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A kernel's statements as GPU launches. Each top-level parallel loop becomes a grid launch whose
 * iterations spread over every thread (they are independent by the loop's contract); each run of
 * other top-level statements becomes a launch on one thread. Launches run in order, so each sees
 * the writes of the ones before.
 *
 * <p>Locals cannot cross launches. A top-level declaration that reads no buffer and is never
 * assigned (a bound or block size computed from the dimensions) is repeated at the start of every
 * launch after it; if another local declared at the top level is read by a later launch, the
 * kernel stays one launch on one thread, which is always correct.
 */
final class GridSegments {
    private GridSegments() {}

    /**
     * One launch: {@code prelude} (declarations repeated from earlier), then either {@code loop}
     * over the grid ({@code grid}), or {@code body} on one thread.
     */
    record Segment(List<Stmt> prelude, Stmt.Loop loop, List<Stmt> body) {
        Segment {
            prelude = List.copyOf(prelude);
            body = List.copyOf(body);
        }

        boolean grid() { return loop != null; }

        /**
         * The grid loop and the parallel loops perfectly nested in it whose bounds do not depend
         * on the loops around them: the iterations of all of them are independent, so the grid
         * can take them as one loop (a thread per element of a kernel's output).
         */
        List<Stmt.Loop> nest() {
            var nest = new ArrayList<Stmt.Loop>(List.of(loop));
            var bound = new HashSet<String>(Set.of(loop.var()));
            Stmt body = loop.body();
            while (true) {
                if (body instanceof Stmt.Block b && b.body().size() == 1) body = b.body().getFirst();
                if (!(body instanceof Stmt.Loop inner) || inner.schedule() != Stmt.Schedule.PARALLEL) return nest;
                var bounds = LoopUsage.of(new Stmt.Block(List.of(
                        new Stmt.Declare("_lo", inner.lo().type(), inner.lo()), new Stmt.Declare("_hi", inner.hi().type(), inner.hi()))));
                for (String v : bounds.free) if (bound.contains(v)) return nest;
                nest.add(inner);
                bound.add(inner.var());
                body = inner.body();
            }
        }

        /** Everything this launch runs, as one statement. */
        Stmt whole() {
            var all = new ArrayList<>(prelude);
            if (grid()) all.add(loop);
            else all.addAll(body);
            return new Stmt.Block(all);
        }
    }

    static List<Segment> split(Stmt kernelBody) {
        List<Stmt> top = kernelBody instanceof Stmt.Block b ? b.body() : List.of(kernelBody);
        Set<String> assigned = new HashSet<>();
        assignedLocals(kernelBody, assigned);
        var segments = new ArrayList<Segment>();
        var repeated = new ArrayList<Stmt>();
        var serial = new ArrayList<Stmt>();
        var serialPrelude = new ArrayList<Stmt>();
        for (Stmt s : top) {
            if (s instanceof Stmt.Declare d && !assigned.contains(d.var()) && !loads(d.init())) {
                repeated.add(d);
                if (!serial.isEmpty()) serial.add(d);
                continue;
            }
            if (s instanceof Stmt.Loop l && l.schedule() == Stmt.Schedule.PARALLEL) {
                if (!serial.isEmpty()) segments.add(new Segment(serialPrelude, null, serial));
                serial = new ArrayList<>();
                segments.add(new Segment(repeated, l, List.of()));
                continue;
            }
            if (serial.isEmpty()) serialPrelude = new ArrayList<>(repeated);
            serial.add(s);
        }
        if (!serial.isEmpty()) segments.add(new Segment(serialPrelude, null, serial));
        if (segments.size() > 1 && crossesLaunches(segments)) return List.of(new Segment(List.of(), null, top));
        return segments;
    }

    /** Whether a launch reads a local that another launch declared. */
    private static boolean crossesLaunches(List<Segment> segments) {
        for (Segment s : segments) {
            if (!LoopUsage.of(s.whole()).free.isEmpty()) return true;
        }
        return false;
    }

    private static void assignedLocals(Stmt s, Set<String> out) {
        switch (s) {
            case Stmt.Block b -> b.body().forEach(x -> assignedLocals(x, out));
            case Stmt.Loop l -> assignedLocals(l.body(), out);
            case Stmt.Assign a -> out.add(a.var());
            case Stmt.If i -> {
                assignedLocals(i.then(), out);
                assignedLocals(i.otherwise(), out);
            }
            case Stmt.Declare d -> {}
            case Stmt.Store st -> {}
            case Stmt.Barrier x -> {}
            case Stmt.MmaTf32 m -> out.addAll(m.d());
        }
    }

    private static boolean loads(Expr e) {
        return !LoopUsage.of(new Stmt.Declare("_", e.type(), e)).buffers.isEmpty();
    }
}
