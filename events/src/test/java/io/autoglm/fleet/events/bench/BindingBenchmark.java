package io.autoglm.fleet.events.bench;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.DetachedMessages;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.TypedMessageBuilder;
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

import java.util.concurrent.TimeUnit;

/**
 * The Pulsar binding against the SDK's Kafka binding on the same event, in the same run.
 *
 * <ul>
 * <li>{@code *Encode}: write the event into a fresh message (Pulsar's own {@code TypedMessageBuilderImpl};
 * Kafka's {@code ProducerRecord}).</li>
 * <li>{@code *Decode}: read the event back from what a consumer holds (a Pulsar {@code Message}; a Kafka
 * record's headers and value).</li>
 * <li>{@code *RoundTrip}: both, plus for Pulsar the client's own conversion of the builder into a
 * {@code Message} (a copy of the message metadata that the Kafka side has no counterpart for).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class BindingBenchmark {

    /** A heartbeat (the hot path: small data, tenant, key, trace) or a registration (large data). */
    @Param({"heartbeat", "registration"})
    public String event;

    private CloudEvent cloudEvent;
    private Message<byte[]> pulsarMessage;
    private ProducerRecord<String, byte[]> kafkaRecord;

    @Setup
    public void setUp() {
        EventType type = event.equals("heartbeat") ? EventType.DEVICE_HEARTBEAT : EventType.DEVICE_REGISTRATION_REQUESTED;
        cloudEvent = CloudEventBuilder.v1(ValidEvents.of(type))
                .withExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .build();
        pulsarMessage = DetachedMessages.toMessage(PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(cloudEvent));
        kafkaRecord = KafkaMessageFactory.createWriter("fleet", "key").writeBinary(cloudEvent);
    }

    @Benchmark
    public TypedMessageBuilder<byte[]> pulsarBinaryEncode() {
        return PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(cloudEvent);
    }

    @Benchmark
    public ProducerRecord<String, byte[]> kafkaBinaryEncode() {
        return KafkaMessageFactory.createWriter("fleet", "key").writeBinary(cloudEvent);
    }

    @Benchmark
    public CloudEvent pulsarBinaryDecode() {
        return PulsarMessageFactory.createReader(pulsarMessage).toEvent();
    }

    @Benchmark
    public CloudEvent kafkaBinaryDecode() {
        return KafkaMessageFactory.createReader(kafkaRecord.headers(), kafkaRecord.value()).toEvent();
    }

    @Benchmark
    public CloudEvent pulsarBinaryRoundTrip() {
        Message<byte[]> message = DetachedMessages.toMessage(
                PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(cloudEvent));
        return PulsarMessageFactory.createReader(message).toEvent();
    }

    @Benchmark
    public CloudEvent kafkaBinaryRoundTrip() {
        ProducerRecord<String, byte[]> record = KafkaMessageFactory.createWriter("fleet", "key").writeBinary(cloudEvent);
        return KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
    }

    @Benchmark
    public CloudEvent pulsarStructured() {
        Message<byte[]> message = DetachedMessages.toMessage(PulsarMessageFactory.createWriter(DetachedMessages.builder())
                .writeStructured(cloudEvent, JsonFormat.CONTENT_TYPE));
        return PulsarMessageFactory.createReader(message).toEvent();
    }

    @Benchmark
    public CloudEvent kafkaStructured() {
        ProducerRecord<String, byte[]> record = KafkaMessageFactory.createWriter("fleet", "key")
                .writeStructured(cloudEvent, JsonFormat.CONTENT_TYPE);
        return KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
    }
}
