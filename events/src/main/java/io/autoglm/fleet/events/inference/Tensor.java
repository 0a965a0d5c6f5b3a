package io.autoglm.fleet.events.inference;

import java.util.List;
import java.util.Objects;

/**
 * A named tensor on the wire: element type, shape, and the elements flattened in row-major order.
 * {@code dtype} is one of {@code float32}, {@code int64}, {@code int32}.
 */
public record Tensor(String dtype, List<Long> shape, List<Number> data) {
    public Tensor {
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        data = List.copyOf(data);
    }
}
