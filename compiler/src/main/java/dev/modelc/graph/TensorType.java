package dev.modelc.graph;

import dev.modelc.check.DType;
import dev.modelc.check.DimExpr;
import java.util.List;
import java.util.stream.Collectors;

/** The static type of a graph value: element type and symbolic shape ({@code []} for a scalar). */
public record TensorType(DType dtype, List<DimExpr> shape) {
    public TensorType {
        shape = List.copyOf(shape);
    }

    public static TensorType scalar(DType dtype) { return new TensorType(dtype, List.of()); }

    public static TensorType of(DType dtype, DimExpr... shape) { return new TensorType(dtype, List.of(shape)); }

    public int rank() { return shape.size(); }

    public DimExpr dim(int axis) { return shape.get(axis); }

    public TensorType withShape(List<DimExpr> s) { return new TensorType(dtype, s); }

    public TensorType withDtype(DType d) { return new TensorType(d, shape); }

    /** The number of elements, symbolically. */
    public DimExpr size() {
        DimExpr n = DimExpr.constant(1);
        for (var d : shape) n = n.times(d);
        return n;
    }

    @Override
    public String toString() {
        return dtype + "[" + shape.stream().map(DimExpr::toString).collect(Collectors.joining(", ")) + "]";
    }
}
