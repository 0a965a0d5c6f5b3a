package io.autoglm.fleet.modelstore.onnx;

import io.autoglm.fleet.modelstore.InvalidModelException;
import io.autoglm.fleet.modelstore.TensorSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inputs and outputs of an ONNX model, read straight from its protobuf so that the store can
 * describe a model in {@code model.json} without loading an inference engine. Only the few fields
 * involved are decoded (ModelProto.graph; GraphProto input, output, initializer names; ValueInfoProto
 * name and tensor type); weights are skipped, not read.
 */
public record OnnxSignature(long irVersion, List<TensorSpec> inputs, List<TensorSpec> outputs) {

    /** ONNX TensorProto.DataType codes and our names for them. */
    static final Map<Integer, String> ELEMENT_TYPES = Map.of(
            1, "float32", 2, "uint8", 3, "int8", 6, "int32", 7, "int64", 9, "bool", 10, "float16", 11, "float64");

    public OnnxSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public static OnnxSignature read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new InvalidModelException(file + " is over 2 GB; describe its inputs and outputs in model.json by hand");
            }
            return parse(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), file.toString());
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static OnnxSignature parse(ByteBuffer model, String where) {
        try {
            long irVersion = 0;
            ByteBuffer graph = null;
            ProtoReader reader = new ProtoReader(model);
            while (reader.hasMore()) {
                int tag = reader.tag();
                if (tag == field(1, 0)) {
                    irVersion = reader.varint();
                } else if (tag == field(7, 2)) {
                    graph = reader.message();
                } else {
                    reader.skip(tag);
                }
            }
            if (graph == null) {
                throw new InvalidModelException(where + " is not an ONNX model: it has no graph");
            }
            List<TensorSpec> inputs = new ArrayList<>();
            List<TensorSpec> outputs = new ArrayList<>();
            Set<String> initializers = new HashSet<>();
            ProtoReader g = new ProtoReader(graph);
            while (g.hasMore()) {
                int tag = g.tag();
                if (tag == field(11, 2)) {
                    inputs.add(valueInfo(g.message(), where));
                } else if (tag == field(12, 2)) {
                    outputs.add(valueInfo(g.message(), where));
                } else if (tag == field(5, 2)) {
                    initializers.add(tensorName(g.message()));
                } else {
                    g.skip(tag);
                }
            }
            // before IR version 4 initializers were listed among the inputs too
            inputs.removeIf(input -> initializers.contains(input.name()));
            return new OnnxSignature(irVersion, inputs, outputs);
        } catch (RuntimeException e) {
            if (e instanceof InvalidModelException) {
                throw e;
            }
            throw new InvalidModelException(where + " is not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    private static TensorSpec valueInfo(ByteBuffer message, String where) {
        String name = null;
        String dtype = null;
        List<Long> shape = new ArrayList<>();
        ProtoReader r = new ProtoReader(message);
        while (r.hasMore()) {
            int tag = r.tag();
            if (tag == field(1, 2)) {
                name = r.string();
            } else if (tag == field(2, 2)) {
                ProtoReader type = new ProtoReader(r.message());
                while (type.hasMore()) {
                    int t = type.tag();
                    if (t == field(1, 2)) {
                        ProtoReader tensor = new ProtoReader(type.message());
                        while (tensor.hasMore()) {
                            int tt = tensor.tag();
                            if (tt == field(1, 0)) {
                                int code = (int) tensor.varint();
                                dtype = ELEMENT_TYPES.get(code);
                                if (dtype == null) {
                                    throw new InvalidModelException(where + ": tensor element type " + code + " is not supported");
                                }
                            } else if (tt == field(2, 2)) {
                                shape = dims(tensor.message());
                            } else {
                                tensor.skip(tt);
                            }
                        }
                    } else {
                        type.skip(t);
                    }
                }
            } else {
                r.skip(tag);
            }
        }
        if (name == null || dtype == null) {
            throw new InvalidModelException(where + ": an input or output has no name or is not a tensor");
        }
        return new TensorSpec(name, dtype, shape);
    }

    private static List<Long> dims(ByteBuffer shapeMessage) {
        List<Long> dims = new ArrayList<>();
        ProtoReader r = new ProtoReader(shapeMessage);
        while (r.hasMore()) {
            int tag = r.tag();
            if (tag == field(1, 2)) {
                long dim = TensorSpec.DYNAMIC;
                ProtoReader d = new ProtoReader(r.message());
                while (d.hasMore()) {
                    int t = d.tag();
                    if (t == field(1, 0)) {
                        dim = d.varint();
                    } else {
                        d.skip(t);
                    }
                }
                dims.add(dim);
            } else {
                r.skip(tag);
            }
        }
        return dims;
    }

    private static String tensorName(ByteBuffer tensor) {
        ProtoReader r = new ProtoReader(tensor);
        while (r.hasMore()) {
            int tag = r.tag();
            if (tag == field(8, 2)) {
                return r.string();
            }
            r.skip(tag);
        }
        return "";
    }

    static int field(int number, int wireType) {
        return number << 3 | wireType;
    }

    /** Just enough of the protobuf wire format: varints, length-delimited fields, skipping the rest. */
    private static final class ProtoReader {
        private final ByteBuffer buffer;

        ProtoReader(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        boolean hasMore() {
            return buffer.hasRemaining();
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buffer.get();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        ByteBuffer message() {
            int length = Math.toIntExact(varint());
            ByteBuffer slice = buffer.slice();
            slice.limit(length);
            buffer.position(buffer.position() + length);
            return slice;
        }

        String string() {
            ByteBuffer bytes = message();
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            return new String(array, StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> buffer.position(buffer.position() + 8);
                case 2 -> message();
                case 5 -> buffer.position(buffer.position() + 4);
                default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
