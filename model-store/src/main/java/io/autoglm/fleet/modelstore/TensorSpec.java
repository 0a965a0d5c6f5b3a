package io.autoglm.fleet.modelstore;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One named input or output of a model: element type and shape, {@code -1} for a dimension that
 * varies per call (batch size, sequence length). Requests are checked against it before they reach
 * the engine, so a wrong name, type or shape is the caller's error and not an engine failure.
 *
 * @param dtype {@code float32}, {@code float16}, {@code int64}, {@code int32}, {@code int8},
 *              {@code uint8} or {@code bool}
 */
public record TensorSpec(String name, String dtype, List<Long> shape) {

    public static final long DYNAMIC = -1;
    public static final Set<String> DTYPES = Set.of("float32", "float16", "float64", "int64", "int32", "int8", "uint8", "bool");

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        if (!DTYPES.contains(dtype)) {
            throw new IllegalArgumentException("tensor " + name + ": dtype must be one of " + DTYPES + ", got '" + dtype + "'");
        }
        shape = List.copyOf(shape);
        for (Long dim : shape) {
            if (dim == null || dim < DYNAMIC) {
                throw new IllegalArgumentException("tensor " + name + ": dimensions are >= 0, or -1 for a dynamic one, got " + shape);
            }
        }
    }

    /** Whether the first dimension varies per call, so that requests can be stacked into one batch. */
    public boolean batchable() {
        return !shape.isEmpty() && shape.get(0) == DYNAMIC;
    }
}
