package io.autoglm.fleet.modelstore;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.model.ModelVersionPromoted;
import io.autoglm.fleet.events.model.ModelVersionPublished;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.modelstore.cli.ModelStoreCommand;
import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import io.autoglm.fleet.modelstore.testing.TinyOnnx;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Publications and promotions reach the real broker as contract events on the model topic. */
@ExtendWith(RealPulsarExtension.class)
class ModelEventsIT {

    @TempDir
    Path work;

    @Test
    void publishAndPromoteAreAnnouncedOnTheModelTopic(PulsarClient client) throws Exception {
        String model = "echo-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = Topics.defaults();
        String topic = topics.events(Topics.SYSTEM_TENANT, EventFamily.MODEL);
        try (Reader<byte[]> reader = client.newReader().topic(topic).startMessageId(MessageId.latest).create();
             PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics);
             ModelStore store = new ModelStore(new FileSystemBackend(work.resolve("store")), publisher, Clock.systemUTC(), Duration.ofSeconds(30))) {
            PublishedVersion published = ModelFixtures.publishLinear(store, model, work, 1f);
            store.promote(model, "stable", 1);

            List<CloudEvent> mine = read(reader, model, 2);
            assertThat(mine).extracting(CloudEvent::getType)
                    .containsExactly(EventType.MODEL_VERSION_PUBLISHED.type(), EventType.MODEL_VERSION_PROMOTED.type());
            assertThat(Events.payload(mine.get(0), ModelVersionPublished.class).digest()).isEqualTo(published.digest());
            assertThat(Events.payload(mine.get(1), ModelVersionPromoted.class).version()).isEqualTo(1);
            assertThat(published.announced()).isTrue();
        }
    }

    @Test
    void theCommandLineAnnouncesWhenToldWhereThePulsarIs(PulsarEndpoints pulsar, PulsarClient client) throws Exception {
        String model = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = Topics.defaults().events(Topics.SYSTEM_TENANT, EventFamily.MODEL);
        Path onnx = TinyOnnx.write(work.resolve("m.onnx"), TinyOnnx.linear("x", "y", TinyOnnx.identity(2)));
        try (Reader<byte[]> reader = client.newReader().topic(topic).startMessageId(MessageId.latest).create()) {
            StringWriter out = new StringWriter();
            int code = ModelStoreCommand.execute(Map.of("AUTOGLM_PULSAR_SERVICE_URL", pulsar.serviceUrl()), new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true),
                    "--store", work.resolve("store").toString(), "import", model, "--from", onnx.toString(), "--promote", "stable");

            assertThat(code).isZero();
            assertThat(out.toString()).contains("published " + model + "@1").contains("(announced)");
            assertThat(read(reader, model, 2)).extracting(CloudEvent::getType)
                    .containsExactly(EventType.MODEL_VERSION_PUBLISHED.type(), EventType.MODEL_VERSION_PROMOTED.type());
        }
    }

    /** The next {@code count} valid contract events about {@code model}, skipping other tests' events. */
    private static List<CloudEvent> read(Reader<byte[]> reader, String model, int count) throws Exception {
        EventValidator validator = EventValidator.standard();
        List<CloudEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.size() < count && System.nanoTime() < deadline) {
            Message<byte[]> message = reader.readNext(1, TimeUnit.SECONDS);
            if (message == null || !model.equals(message.getKey())) {
                continue;
            }
            assertThat(PulsarMessageFactory.validate(message, validator).problems()).as("a contract event").isEmpty();
            events.add(PulsarMessageFactory.createReader(message).toEvent());
        }
        return events;
    }
}
