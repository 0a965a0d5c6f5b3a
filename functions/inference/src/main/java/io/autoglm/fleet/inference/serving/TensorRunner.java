package io.autoglm.fleet.inference.serving;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.inference.Tensor;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a model fed named tensors. Every request is checked against the inputs in {@code model.json}
 * (names, element types, ranks, fixed dimensions, element counts) so that a wrong request is a 400
 * naming the tensor, never an engine error. Requests whose tensors differ only in the first (batch)
 * dimension are stacked into one engine call and the outputs split back by rows.
 */
public final class TensorRunner implements ModelRunner<TensorRunner.Tensors> {

    private static final Set<String> WIRE_TYPES = Set.of("float32", "int64", "int32");
    /** More elements than a JSON request can reasonably carry; also keeps shape arithmetic from overflowing. */
    static final long MAX_ELEMENTS = 1L << 28;

    /**
     * A request's checked tensors.
     *
     * @param rows  the shared first dimension (1 for models that are not batchable)
     * @param key   what must be equal for requests to share an engine call: every dimension but the first
     */
    public record Tensors(int rows, Map<String, Input> inputs, String key) {
    }

    /** One checked input tensor: shape and elements in its own Java type. */
    public record Input(String dtype, long[] shape, Object data) {
    }

    private final String name;
    private final Model model;
    private final List<TensorSpec> specs;
    private final boolean batchable;
    private final int maxRows;

    public TensorRunner(String name, Model model, ModelManifest manifest) {
        this.name = Objects.requireNonNull(name, "name");
        this.model = Objects.requireNonNull(model, "model");
        this.specs = manifest.inputs();
        if (specs.isEmpty()) {
            throw new IllegalArgumentException(name + ": model.json lists no inputs");
        }
        this.batchable = specs.stream().allMatch(TensorSpec::batchable);
        this.maxRows = manifest.batching().maxBatchSize();
    }

    @Override
    public Tensors prepare(InferenceRequested request) {
        List<Problem> problems = new ArrayList<>();
        if (!request.texts().isEmpty()) {
            problems.add(new Problem("data.texts", name + " takes named tensors in data.tensors, not texts"));
        }
        Map<String, Tensor> given = request.tensors();
        Set<String> unknown = new TreeSet<>(given.keySet());
        specs.forEach(s -> unknown.remove(s.name()));
        for (String extra : unknown) {
            problems.add(new Problem("data.tensors." + extra, "data.tensors." + extra + " is not an input of " + name
                    + "; its inputs are " + specs.stream().map(TensorSpec::name).toList()));
        }
        Map<String, Input> inputs = new LinkedHashMap<>();
        Long rows = null;
        for (TensorSpec spec : specs) {
            String location = "data.tensors." + spec.name();
            Tensor tensor = given.get(spec.name());
            if (tensor == null) {
                problems.add(new Problem("data.tensors", "data.tensors lacks " + spec.name() + " (" + describe(spec) + ")"));
                continue;
            }
            List<String> found = check(spec, tensor, location);
            if (!found.isEmpty()) {
                found.forEach(m -> problems.add(new Problem(location, m)));
                continue;
            }
            long first = tensor.shape().get(0);
            if (batchable && rows != null && rows != first) {
                problems.add(new Problem(location, location + " has " + first + " rows, the other inputs " + rows));
                continue;
            }
            rows = first;
            inputs.put(spec.name(), new Input(spec.dtype(), tensor.shape().stream().mapToLong(Long::longValue).toArray(),
                    elements(spec.dtype(), tensor.data())));
        }
        int batchRows = batchable && rows != null ? rows.intValue() : 1;
        if (batchable && rows != null && (rows < 1 || rows > maxRows)) {
            problems.add(new Problem("data.tensors", "the tensors have " + rows + " rows; " + name + " takes 1 to " + maxRows + " per request"));
        }
        if (!problems.isEmpty()) {
            throw InferenceFailure.badRequest(problems);
        }
        StringBuilder key = new StringBuilder();
        inputs.forEach((n, in) -> key.append(n).append(Arrays.toString(Arrays.copyOfRange(in.shape(), batchable ? 1 : 0, in.shape().length))));
        return new Tensors(batchRows, inputs, batchable ? key.toString() : null);
    }

    private List<String> check(TensorSpec spec, Tensor tensor, String location) {
        List<String> problems = new ArrayList<>();
        if (!WIRE_TYPES.contains(spec.dtype())) {
            problems.add(name + " takes " + spec.name() + " as " + spec.dtype() + ", which requests cannot carry (float32, int64, int32)");
            return problems;
        }
        if (!tensor.dtype().equals(spec.dtype())) {
            problems.add(location + " is " + tensor.dtype() + "; " + name + " takes " + spec.dtype());
        }
        List<Long> shape = tensor.shape();
        if (shape.size() != spec.shape().size()) {
            problems.add(location + " has shape " + shape + "; " + name + " takes " + describe(spec));
            return problems;
        }
        long count = 1;
        for (int d = 0; d < shape.size(); d++) {
            long want = spec.shape().get(d);
            long got = shape.get(d);
            if (want != TensorSpec.DYNAMIC && want != got) {
                problems.add(location + " has shape " + shape + "; dimension " + d + " must be " + want + " (" + describe(spec) + ")");
            }
            if (got < 1) {
                problems.add(location + " has shape " + shape + "; every dimension must be at least 1");
            }
            count = count > MAX_ELEMENTS || got > MAX_ELEMENTS ? MAX_ELEMENTS + 1 : count * Math.max(got, 0);
        }
        if (count > MAX_ELEMENTS) {
            problems.add(location + " has shape " + shape + ", over " + MAX_ELEMENTS + " elements");
            return problems;
        }
        if (problems.isEmpty() && count != tensor.data().size()) {
            problems.add(location + " has " + tensor.data().size() + " elements; shape " + shape + " needs " + count);
        }
        if (problems.isEmpty() && !spec.dtype().equals("float32")) {
            for (int i = 0; i < tensor.data().size(); i++) {
                Number n = tensor.data().get(i);
                double v = n.doubleValue();
                boolean fits = spec.dtype().equals("int32") ? v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE : Math.abs(v) < 9.2e18;
                if (v != Math.rint(v) || !fits) {
                    problems.add(location + ".data[" + i + "] is " + n + ", not an " + spec.dtype());
                    break;
                }
            }
        }
        return problems;
    }

    private static Object elements(String dtype, List<Number> data) {
        return switch (dtype) {
            case "float32" -> {
                float[] a = new float[data.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = data.get(i).floatValue();
                }
                yield a;
            }
            case "int64" -> data.stream().mapToLong(Number::longValue).toArray();
            case "int32" -> data.stream().mapToInt(Number::intValue).toArray();
            default -> throw new IllegalArgumentException(dtype);
        };
    }

    private static String describe(TensorSpec spec) {
        return spec.dtype() + " " + spec.shape().toString().replace("-1", "?");
    }

    @Override
    public int rows(Tensors prepared) {
        return prepared.rows();
    }

    @Override
    public List<ModelOutput> run(List<Tensors> batch) {
        ModelOutput[] outputs = new ModelOutput[batch.size()];
        // requests that can share an engine call: same key (not batchable: each alone)
        Map<Object, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Object key = batch.get(i).key() == null ? (Object) i : batch.get(i).key();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : groups.values()) {
            List<Tensors> members = group.stream().map(batch::get).toList();
            List<ModelOutput> results = runGroup(members);
            for (int i = 0; i < group.size(); i++) {
                outputs[group.get(i)] = results.get(i);
            }
        }
        return Arrays.asList(outputs);
    }

    private List<ModelOutput> runGroup(List<Tensors> members) {
        int rows = members.stream().mapToInt(Tensors::rows).sum();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList in = new NDList();
            for (TensorSpec spec : specs) {
                long[] shape = members.get(0).inputs().get(spec.name()).shape().clone();
                if (batchable) {
                    shape[0] = rows;
                }
                NDArray array = stack(manager, spec.dtype(), members.stream().map(m -> m.inputs().get(spec.name()).data()).toList(), new Shape(shape));
                array.setName(spec.name());
                in.add(array);
            }
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), in, false);
            List<Map<String, Tensor>> perRequest = new ArrayList<>();
            members.forEach(m -> perRequest.add(new LinkedHashMap<>()));
            for (NDArray array : out) {
                long[] shape = array.getShape().getShape();
                if (batchable && (shape.length == 0 || shape[0] != rows)) {
                    throw new IllegalStateException(name + ": output " + array.getName() + " has shape " + Arrays.toString(shape)
                            + ", not " + rows + " rows; it cannot be split between requests");
                }
                List<Number> all = numbers(array);
                int perRow = shape.length == 0 ? all.size() : (int) (all.size() / Math.max(shape[0], 1));
                int offset = 0;
                for (int i = 0; i < members.size(); i++) {
                    int memberRows = batchable ? members.get(i).rows() : (int) (shape.length == 0 ? 1 : shape[0]);
                    List<Long> memberShape = new ArrayList<>();
                    Arrays.stream(shape).forEach(memberShape::add);
                    if (!memberShape.isEmpty()) {
                        memberShape.set(0, (long) memberRows);
                    }
                    int count = shape.length == 0 ? all.size() : memberRows * perRow;
                    perRequest.get(i).put(array.getName(), new Tensor(wireType(array.getDataType()), memberShape, all.subList(offset, offset + count)));
                    offset += count;
                }
            }
            return perRequest.stream().map(ModelOutput::tensors).toList();
        }
    }

    private static NDArray stack(NDManager manager, String dtype, List<Object> parts, Shape shape) {
        int total = (int) shape.size();
        ByteBuffer buffer;
        DataType type;
        switch (dtype) {
            case "float32" -> {
                type = DataType.FLOAT32;
                buffer = ByteBuffer.allocateDirect(total * 4).order(ByteOrder.nativeOrder());
                var floats = buffer.asFloatBuffer();
                parts.forEach(p -> floats.put((float[]) p));
            }
            case "int64" -> {
                type = DataType.INT64;
                buffer = ByteBuffer.allocateDirect(total * 8).order(ByteOrder.nativeOrder());
                var longs = buffer.asLongBuffer();
                parts.forEach(p -> longs.put((long[]) p));
            }
            case "int32" -> {
                type = DataType.INT32;
                buffer = ByteBuffer.allocateDirect(total * 4).order(ByteOrder.nativeOrder());
                var ints = buffer.asIntBuffer();
                parts.forEach(p -> ints.put((int[]) p));
            }
            default -> throw new IllegalArgumentException(dtype);
        }
        return manager.create(buffer, shape, type);
    }

    private static List<Number> numbers(NDArray array) {
        List<Number> out = new ArrayList<>();
        switch (array.getDataType()) {
            case INT64 -> Arrays.stream(array.toLongArray()).forEach(out::add);
            case INT32 -> Arrays.stream(array.toIntArray()).forEach(out::add);
            default -> {
                for (float f : array.toType(DataType.FLOAT32, false).toFloatArray()) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static String wireType(DataType type) {
        return switch (type) {
            case INT64 -> "int64";
            case INT32 -> "int32";
            default -> "float32";
        };
    }

    @Override
    public InferenceRequested warmupRequest() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorSpec spec : specs) {
            List<Long> shape = spec.shape().stream().map(d -> d == TensorSpec.DYNAMIC ? 1L : d).toList();
            long count = shape.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
            List<Number> zeros = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                zeros.add(0);
            }
            tensors.put(spec.name(), new Tensor(spec.dtype(), shape, zeros));
        }
        return new InferenceRequested("warm-up", name, null, tensors, null, null);
    }

    @Override
    public void close() {
        model.close();
    }
}
