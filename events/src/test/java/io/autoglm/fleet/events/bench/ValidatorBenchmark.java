package io.autoglm.fleet.events.bench;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost of checking one incoming event at the edge (attributes, extensions, JSON Schema of the data),
 * binary and structured mode: what the ingress sink and every function pay per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class ValidatorBenchmark {

    @Param({"heartbeat", "registration"})
    public String event;

    private final EventValidator validator = EventValidator.standard();
    private Map<String, String> attributes;
    private byte[] data;
    private byte[] structured;

    @Setup
    public void setUp() {
        EventType type = event.equals("heartbeat") ? EventType.DEVICE_HEARTBEAT : EventType.DEVICE_REGISTRATION_REQUESTED;
        CloudEvent cloudEvent = ValidEvents.of(type);
        attributes = new HashMap<>();
        HttpForms.binaryHeaders(cloudEvent).forEach((header, value) ->
                attributes.put(header.equals("Content-Type") ? "datacontenttype" : header.substring("ce-".length()), value));
        data = HttpForms.binaryBody(cloudEvent);
        structured = HttpForms.structuredBody(cloudEvent);
    }

    @Benchmark
    public Validation binary() {
        return validator.validateBinary(attributes, data);
    }

    @Benchmark
    public Validation structured() {
        return validator.validateStructured(structured);
    }
}
