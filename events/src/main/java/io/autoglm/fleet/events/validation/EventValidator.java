package io.autoglm.fleet.events.validation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.ExtensionType;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Problem;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.v1.CloudEventV1;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks an incoming CloudEvent against the CloudEvents 1.0 spec and this system's contract, and
 * reports every problem at once in words a person can act on: required attributes and their formats
 * (RFC 3339 {@code time}, URI-reference {@code source}, non-empty {@code id}/{@code type}/{@code source},
 * spec version), extension names and declared extension types, a known {@code type}, a JSON content
 * type, and the data against the type's JSON Schema.
 *
 * <p>Three entry points follow the three ways events arrive: binary mode (attributes as strings from
 * headers or message properties), structured mode (the JSON event format) and an already-built
 * {@link CloudEvent}. Instances are immutable and thread-safe; schemas load once at construction.
 */
public final class EventValidator {

    private static final String SUPPORTED_SPEC_VERSION = "1.0";
    private static final String DATA = "data";
    private static final String DATA_BASE64 = "data_base64";
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;.*)?");

    private final Extensions extensions;
    private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);

    public EventValidator(Extensions extensions) {
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(EventType.SCHEMA_BASE, "classpath:schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_PATH)
                .formatAssertionsEnabled(true)
                .build();
        for (EventType type : EventType.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(type.dataSchema().toString()), config);
            schema.initializeValidators();
            schemas.put(type, schema);
        }
    }

    /** The validator for the contract's own extensions. */
    public static EventValidator standard() {
        return Standard.INSTANCE;
    }

    /**
     * Checks a binary-mode event.
     *
     * @param attributes attribute name (as carried, without the transport's prefix) to value;
     *                   the content type belongs under {@code datacontenttype}
     * @param data       the message body, or null / empty for none
     */
    public Validation validateBinary(Map<String, String> attributes, byte[] data) {
        Reading reading = new Reading();
        reading.specVersion(attributes.get(CloudEventV1.SPECVERSION));
        attributes.forEach((name, value) -> {
            if (!name.equals(CloudEventV1.SPECVERSION)) {
                reading.attribute(name, value);
            }
        });
        if (data != null && data.length > 0) {
            reading.dataBytes = data;
        }
        return reading.finish();
    }

    /** Checks one event in the JSON event format ({@code application/cloudevents+json}). */
    public Validation validateStructured(byte[] body) {
        JsonNode root;
        try {
            root = EventJson.mapper().readTree(body);
        } catch (IOException e) {
            return Validation.invalid(List.of(new Problem("", "the event is not valid JSON: " + jsonError(e))));
        }
        return validateStructured(root);
    }

    /**
     * Checks a batch in the JSON batch format ({@code application/cloudevents-batch+json}): one
     * {@link Validation} per element, in order. A body that is not a JSON array yields one invalid entry.
     */
    public List<Validation> validateBatch(byte[] body) {
        JsonNode root;
        try {
            root = EventJson.mapper().readTree(body);
        } catch (IOException e) {
            return List.of(Validation.invalid(List.of(new Problem("", "the batch is not valid JSON: " + jsonError(e)))));
        }
        if (root == null || !root.isArray()) {
            return List.of(Validation.invalid(List.of(new Problem("", "a CloudEvents batch must be a JSON array of events"))));
        }
        List<Validation> results = new ArrayList<>(root.size());
        root.forEach(element -> results.add(validateStructured(element)));
        return results;
    }

    /** Checks an event that is already a {@link CloudEvent} (built by the SDK or read from a transport). */
    public Validation validate(CloudEvent event) {
        Reading reading = new Reading();
        reading.sawId = true;
        reading.sawSource = true;
        reading.specVersion(event.getSpecVersion().toString());
        reading.requireNonEmpty(CloudEventV1.ID, event.getId());
        reading.requireNonEmpty(CloudEventV1.TYPE, event.getType());
        reading.requireNonEmpty(CloudEventV1.SOURCE, event.getSource() == null ? null : event.getSource().toString());
        reading.type = event.getType();
        reading.dataContentType = event.getDataContentType();
        reading.dataSchema = event.getDataSchema();
        for (String name : event.getExtensionNames()) {
            Object value = event.getExtension(name);
            reading.checkExtensionName(name);
            extensions.typeOf(name).ifPresent(declared -> {
                if (!matchesType(declared, value)) {
                    reading.problem(name, name + " must be of type " + declared.name().toLowerCase() + ", got " + value);
                }
            });
            Extensions.checkValue(name, value).ifPresent(message -> reading.problem(name, message));
            if (Extensions.TENANT.equals(name)) {
                reading.tenant = String.valueOf(value);
            }
        }
        if (event.getData() != null) {
            reading.dataBytes = event.getData().toBytes();
        }
        reading.builder = CloudEventBuilder.v1(event);
        return reading.finish();
    }

    /** Checks a payload against its type's schema without an envelope (e.g. an event a function builds). */
    public List<Problem> validateData(EventType type, JsonNode data) {
        return SchemaMessages.toProblems(schemas.get(type).validate(data));
    }

    private Validation validateStructured(JsonNode root) {
        if (root == null || !root.isObject()) {
            return Validation.invalid(List.of(new Problem("", "a structured CloudEvent must be a JSON object")));
        }
        Reading reading = new Reading();
        JsonNode specVersion = root.get(CloudEventV1.SPECVERSION);
        reading.specVersion(specVersion == null || specVersion.isNull() ? null : specVersion.asText());
        if (root.has(DATA) && root.has(DATA_BASE64)) {
            reading.problem(DATA, "an event carries either data or data_base64, not both");
            reading.dataUnreadable = true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(CloudEventV1.SPECVERSION) || name.equals(DATA) || name.equals(DATA_BASE64) || value.isNull()) {
                continue;
            }
            if (isContextAttribute(name)) {
                if (!value.isTextual()) {
                    reading.problem(name, name + " must be a JSON string, got " + SchemaMessages.show(value));
                } else {
                    reading.attribute(name, value.asText());
                }
            } else if (value.isTextual()) {
                reading.attribute(name, value.asText());
            } else if (value.isBoolean() || value.isIntegralNumber()) {
                reading.typedExtension(name, value);
            } else {
                reading.checkExtensionName(name);
                reading.problem(name, name + " must be a string, an integer or a boolean, got " + SchemaMessages.show(value));
            }
        }
        JsonNode data = root.get(DATA);
        JsonNode dataBase64 = root.get(DATA_BASE64);
        if (dataBase64 != null && !dataBase64.isNull()) {
            try {
                reading.dataBytes = Base64.getDecoder().decode(dataBase64.asText());
            } catch (IllegalArgumentException e) {
                reading.problem(DATA_BASE64, "data_base64 must be base64, got " + SchemaMessages.show(dataBase64));
                reading.dataUnreadable = true;
            }
        } else if (data != null && !data.isNull()) {
            if (reading.dataContentType == null || isJson(reading.dataContentType)) {
                reading.dataNode = data;
                reading.dataBytes = EventJson.write(data);
            } else if (data.isTextual()) {
                reading.dataBytes = data.asText().getBytes(StandardCharsets.UTF_8);
            } else {
                reading.problem(DATA, "data must be a string when datacontenttype is '" + reading.dataContentType + "'");
                reading.dataUnreadable = true;
            }
        }
        return reading.finish();
    }

    private static boolean isContextAttribute(String name) {
        switch (name) {
            case CloudEventV1.ID:
            case CloudEventV1.SOURCE:
            case CloudEventV1.TYPE:
            case CloudEventV1.DATACONTENTTYPE:
            case CloudEventV1.DATASCHEMA:
            case CloudEventV1.SUBJECT:
            case CloudEventV1.TIME:
                return true;
            default:
                return false;
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static boolean matchesType(ExtensionType type, Object value) {
        switch (type) {
            case STRING:
                return value instanceof String;
            case INTEGER:
                return value instanceof Integer;
            case BOOLEAN:
                return value instanceof Boolean;
            case URI:
            case URI_REF:
                return value instanceof URI;
            case TIMESTAMP:
                return value instanceof OffsetDateTime;
            case BINARY:
                return value instanceof byte[];
            default:
                return false;
        }
    }

    static String jsonError(IOException e) {
        if (e instanceof JsonProcessingException) {
            JsonProcessingException json = (JsonProcessingException) e;
            JsonLocation location = json.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            return json.getOriginalMessage() + where;
        }
        return e.getMessage();
    }

    /** One event being read: the attributes collected so far, the builder, and the problems found. */
    private final class Reading {
        private final List<Problem> problems = new ArrayList<>();
        private CloudEventBuilder builder = CloudEventBuilder.v1();
        private boolean sawId;
        private boolean sawSource;
        private String type;
        private String tenant;
        private String dataContentType;
        private URI dataSchema;
        private byte[] dataBytes;
        private JsonNode dataNode;
        /** Set when the data could not be taken apart, so checking it against the schema would only add noise. */
        private boolean dataUnreadable;

        void problem(String location, String message) {
            problems.add(new Problem(location, message));
        }

        void specVersion(String value) {
            if (value == null) {
                problem(CloudEventV1.SPECVERSION, "specversion is required (this system speaks CloudEvents 1.0)");
            } else if (!value.equals(SUPPORTED_SPEC_VERSION)) {
                problem(CloudEventV1.SPECVERSION, "specversion '" + value + "' is not supported: use 1.0");
            }
        }

        void requireNonEmpty(String name, String value) {
            if (value == null || value.isEmpty()) {
                problem(name, name + " must not be empty");
            }
        }

        boolean checkExtensionName(String name) {
            if (!Extensions.VALID_NAME.matcher(name).matches()) {
                problem(name, "attribute name '" + name
                        + "' is invalid: CloudEvents attribute names use only lowercase letters a-z and digits 0-9");
                return false;
            }
            return true;
        }

        /** A context attribute or extension whose value arrived as a string. */
        void attribute(String name, String value) {
            switch (name) {
                case CloudEventV1.ID:
                    sawId = true;
                    if (notEmpty(name, value)) {
                        builder.withId(value);
                    }
                    return;
                case CloudEventV1.TYPE:
                    if (notEmpty(name, value)) {
                        type = value;
                        builder.withType(value);
                    }
                    return;
                case CloudEventV1.SOURCE:
                    sawSource = true;
                    if (notEmpty(name, value)) {
                        URI source = parse(name, ExtensionType.URI_REF, value, URI.class);
                        if (source != null) {
                            builder.withSource(source);
                        }
                    }
                    return;
                case CloudEventV1.DATACONTENTTYPE:
                    if (!MEDIA_TYPE.matcher(value).matches()) {
                        problem(name, "datacontenttype must be a media type such as application/json, got '" + value + "'");
                    } else {
                        dataContentType = value;
                        builder.withDataContentType(value);
                    }
                    return;
                case CloudEventV1.DATASCHEMA:
                    URI schema = parse(name, ExtensionType.URI, value, URI.class);
                    if (schema != null) {
                        dataSchema = schema;
                        builder.withDataSchema(schema);
                    }
                    return;
                case CloudEventV1.SUBJECT:
                    if (notEmpty(name, value)) {
                        builder.withSubject(value);
                    }
                    return;
                case CloudEventV1.TIME:
                    OffsetDateTime time = parse(name, ExtensionType.TIMESTAMP, value, OffsetDateTime.class);
                    if (time != null) {
                        builder.withTime(time);
                    }
                    return;
                default:
                    extension(name, value);
            }
        }

        private void extension(String name, String value) {
            if (!checkExtensionName(name)) {
                return;
            }
            ExtensionType declared = extensions.typeOf(name).orElse(ExtensionType.STRING);
            Object typed = parse(name, declared, value, Object.class);
            if (typed != null) {
                setExtension(name, typed);
            }
        }

        /** An extension whose value arrived as a JSON boolean or integer (structured mode). */
        void typedExtension(String name, JsonNode value) {
            if (!checkExtensionName(name)) {
                return;
            }
            Object typed;
            if (value.isBoolean()) {
                typed = value.booleanValue();
            } else if (value.canConvertToInt()) {
                typed = value.intValue();
            } else {
                problem(name, name + " must be a 32-bit integer, got " + value);
                return;
            }
            ExtensionType declared = extensions.typeOf(name).orElse(null);
            if (declared != null && declared != ExtensionType.STRING && !matchesType(declared, typed)) {
                problem(name, name + " must be of type " + declared.name().toLowerCase() + ", got " + value);
                return;
            }
            setExtension(name, declared == ExtensionType.STRING ? value.asText() : typed);
        }

        private void setExtension(String name, Object value) {
            Optional<String> invalid = Extensions.checkValue(name, value);
            if (invalid.isPresent()) {
                problem(name, invalid.get());
                return;
            }
            if (Extensions.TENANT.equals(name)) {
                tenant = value.toString();
            }
            Extensions.withTypedExtension(builder, name, value);
        }

        private boolean notEmpty(String name, String value) {
            if (value.isEmpty()) {
                problem(name, name + " must not be empty");
                return false;
            }
            return true;
        }

        private <T> T parse(String name, ExtensionType type, String value, Class<T> as) {
            try {
                return as.cast(type.parse(value));
            } catch (IllegalArgumentException e) {
                problem(name, name + " " + e.getMessage());
                return null;
            }
        }

        Validation finish() {
            if (!sawId) {
                requireNonEmptyIfMissing(CloudEventV1.ID);
            }
            if (!sawSource) {
                requireNonEmptyIfMissing(CloudEventV1.SOURCE);
            }
            EventType eventType = null;
            if (type == null) {
                if (problems.stream().noneMatch(p -> p.location().equals(CloudEventV1.TYPE))) {
                    problem(CloudEventV1.TYPE, "type is required");
                }
            } else {
                eventType = EventType.fromType(type).orElse(null);
                if (eventType == null) {
                    problem(CloudEventV1.TYPE, "type '" + type + "' is not an event type of this system (types are "
                            + EventType.TYPE_PREFIX + "*, listed in the event catalogue)");
                }
            }
            JsonNode data = eventType == null ? null : checkData(eventType);
            if (!problems.isEmpty()) {
                return Validation.invalid(problems);
            }
            return Validation.valid(builder.build(), eventType, data);
        }

        private void requireNonEmptyIfMissing(String name) {
            if (problems.stream().noneMatch(p -> p.location().equals(name))) {
                problem(name, name + " is required");
            }
        }

        private JsonNode checkData(EventType eventType) {
            if (eventType.tenantScoped() && tenant == null
                    && problems.stream().noneMatch(p -> p.location().equals(Extensions.TENANT))) {
                problem(Extensions.TENANT, "the tenant extension is required for " + eventType.type());
            }
            if (dataContentType != null && !isJson(dataContentType)) {
                problem(CloudEventV1.DATACONTENTTYPE, "datacontenttype must be application/json for "
                        + eventType.type() + ", got '" + dataContentType + "'");
                return null;
            }
            if (dataSchema != null && !dataSchema.equals(eventType.dataSchema())) {
                problem(CloudEventV1.DATASCHEMA, "dataschema for " + eventType.type() + " must be "
                        + eventType.dataSchema() + " (or be left out), got '" + dataSchema + "'");
            }
            if (dataUnreadable) {
                return null;
            }
            if (dataNode == null && dataBytes == null) {
                problem(DATA, "data is required: " + eventType.type() + " carries a "
                        + eventType.payloadType().getSimpleName() + " (schema " + eventType.dataSchema() + ")");
                return null;
            }
            if (dataNode == null) {
                try {
                    dataNode = EventJson.mapper().readTree(dataBytes);
                } catch (IOException e) {
                    problem(DATA, "data is not valid JSON: " + jsonError(e));
                    return null;
                }
                if (dataNode == null || dataNode.isMissingNode()) {
                    problem(DATA, "data is required: " + eventType.type() + " carries a "
                            + eventType.payloadType().getSimpleName());
                    return null;
                }
            }
            problems.addAll(validateData(eventType, dataNode));
            if (problems.isEmpty()) {
                builder.withData(dataContentType, dataSchema, BytesCloudEventData.wrap(dataBytes));
            }
            return dataNode;
        }
    }

    private static final class Standard {
        static final EventValidator INSTANCE = new EventValidator(Extensions.contract());
    }
}
