package io.autoglm.fleet.modelstore.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes tiny ONNX models for tests, straight in protobuf (ModelProto, GraphProto, NodeProto,
 * TensorProto, ValueInfoProto: only the fields used), so tests need no model files and no ONNX
 * library. ONNX IR version 8, opset 13: ONNX Runtime 1.21 loads them.
 */
public final class TinyOnnx {

    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    private TinyOnnx() {
    }

    /**
     * {@code output = MatMul(input, W)}: input {@code float32 [batch, rows(W)]}, output
     * {@code float32 [batch, cols(W)]}, batch dynamic. With an identity {@code W} it echoes its input.
     */
    public static byte[] linear(String input, String output, float[][] weights) {
        int in = weights.length;
        int out = weights[0].length;
        float[] flat = new float[in * out];
        for (int i = 0; i < in; i++) {
            System.arraycopy(weights[i], 0, flat, i * out, out);
        }
        Proto graph = new Proto()
                .message(1, node("matmul", "MatMul", List.of(input, "W"), List.of(output)))
                .string(2, "linear")
                .message(5, floatTensor("W", new long[]{in, out}, flat))
                .message(11, valueInfo(input, FLOAT, new Object[]{"batch", (long) in}))
                .message(12, valueInfo(output, FLOAT, new Object[]{"batch", (long) out}));
        return model(graph);
    }

    /**
     * {@code output = Cast(ids, to=float) * 1}: an int64 input {@code [batch, width]} for tests of
     * integer tensors; the output is the ids as float32.
     */
    public static byte[] castToFloat(String input, String output, long width) {
        Proto cast = node("cast", "Cast", List.of(input), List.of(output));
        cast.message(5, new Proto().string(1, "to").varint(3, FLOAT).varint(20, 2));
        Proto graph = new Proto()
                .message(1, cast)
                .string(2, "cast")
                .message(11, valueInfo(input, INT64, new Object[]{"batch", width}))
                .message(12, valueInfo(output, FLOAT, new Object[]{"batch", width}));
        return model(graph);
    }

    public static float[][] identity(int size) {
        float[][] w = new float[size][size];
        for (int i = 0; i < size; i++) {
            w[i][i] = 1f;
        }
        return w;
    }

    public static Path write(Path file, byte[] model) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] model(Proto graph) {
        return new Proto()
                .varint(1, 8)
                .string(2, "autoglm-fleet tests")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13))
                .bytes();
    }

    private static Proto node(String name, String op, List<String> inputs, List<String> outputs) {
        Proto node = new Proto();
        inputs.forEach(i -> node.string(1, i));
        outputs.forEach(o -> node.string(2, o));
        return node.string(3, name).string(4, op);
    }

    private static Proto floatTensor(String name, long[] dims, float[] values) {
        Proto tensor = new Proto();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return tensor.varint(2, FLOAT).string(8, name).raw(9, raw.array());
    }

    /** dims: a Long for a fixed size, a String for a named dynamic dimension. */
    private static Proto valueInfo(String name, int elementType, Object[] dims) {
        Proto shape = new Proto();
        for (Object dim : dims) {
            shape.message(1, dim instanceof Long ? new Proto().varint(1, (Long) dim) : new Proto().string(2, (String) dim));
        }
        Proto tensorType = new Proto().varint(1, elementType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A protobuf message being written. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            writeVarint(value);
            return this;
        }

        Proto string(int field, String value) {
            return raw(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return raw(field, message.bytes());
        }

        Proto raw(int field, byte[] bytes) {
            tag(field, 2);
            writeVarint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            writeVarint((long) field << 3 | wireType);
        }

        private void writeVarint(long value) {
            while ((value & ~0x7fL) != 0) {
                out.write((int) (value & 0x7f) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
