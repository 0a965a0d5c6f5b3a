package io.autoglm.fleet.state.pulsar;

import io.autoglm.fleet.events.EventJson;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.common.schema.SchemaInfo;
import org.apache.pulsar.common.schema.SchemaType;

import java.util.Objects;

/**
 * A Pulsar schema that writes and reads a contract record with the contract's one JSON mapping
 * ({@link EventJson}), so a state table holds typed values without a second copy in bytes. Declared to the
 * broker as plain bytes: the JSON Schemas of the contract, not Pulsar's registry, define the format.
 * A value that does not parse reads as absent (logged), rather than stopping the table.
 */
final class JsonRecordSchema<V> implements Schema<V> {

    private static final System.Logger LOG = System.getLogger(JsonRecordSchema.class.getName());

    private final Class<V> type;
    private final SchemaInfo info;

    JsonRecordSchema(Class<V> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.info = SchemaInfo.builder().name(type.getSimpleName()).type(SchemaType.BYTES).schema(new byte[0]).build();
    }

    @Override
    public byte[] encode(V value) {
        return EventJson.write(value);
    }

    @Override
    public V decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return EventJson.read(bytes, type);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a state value that is not a {0}: {1}", type.getSimpleName(), e.getMessage());
            return null;
        }
    }

    @Override
    public SchemaInfo getSchemaInfo() {
        return info;
    }

    @Override
    public Schema<V> clone() {
        return this;
    }
}
