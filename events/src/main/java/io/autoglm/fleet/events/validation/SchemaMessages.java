package io.autoglm.fleet.events.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import io.autoglm.fleet.events.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns JSON Schema validation messages into sentences about the event's {@code data}:
 * "data.hardware.memoryMb must be >= 64, got -5".
 */
final class SchemaMessages {

    private static final int MAX_VALUE_LENGTH = 64;

    private SchemaMessages() {
    }

    static Problem toProblem(ValidationMessage message) {
        String at = location(message);
        JsonNode rule = message.getSchemaNode();
        JsonNode value = message.getInstanceNode();
        String property = message.getProperty();
        switch (message.getType()) {
            case "required":
                String missing = child(at, property);
                return new Problem(missing, missing + " is required");
            case "additionalProperties":
                String extra = child(at, property);
                return new Problem(extra, extra + " is not a field of this event (check the spelling)");
            case "minimum":
                return new Problem(at, at + " must be >= " + rule + ", got " + show(value));
            case "exclusiveMinimum":
                return new Problem(at, at + " must be > " + rule + ", got " + show(value));
            case "maximum":
                return new Problem(at, at + " must be <= " + rule + ", got " + show(value));
            case "exclusiveMaximum":
                return new Problem(at, at + " must be < " + rule + ", got " + show(value));
            case "type":
                return new Problem(at, at + " must be " + expectedType(rule) + ", got " + typeOf(value) + " " + show(value));
            case "enum":
                return new Problem(at, at + " must be one of " + list(rule) + ", got " + show(value));
            case "pattern":
                return new Problem(at, at + " must match " + rule.asText() + ", got " + show(value));
            case "minLength":
                return new Problem(at, at + " must be at least " + rule + " characters long, got " + show(value));
            case "maxLength":
                return new Problem(at, at + " must be at most " + rule + " characters long, got "
                        + value.asText().length() + " characters");
            case "minItems":
                return new Problem(at, at + " must have at least " + count(rule, "item") + ", got " + value.size());
            case "maxItems":
                return new Problem(at, at + " must have at most " + count(rule, "item") + ", got " + value.size());
            case "minProperties":
                return new Problem(at, at + " must have at least " + count(rule, "entry") + ", got " + value.size());
            case "maxProperties":
                return new Problem(at, at + " must have at most " + count(rule, "entry") + ", got " + value.size());
            case "uniqueItems":
                return new Problem(at, at + " must not contain duplicates, got " + show(value));
            case "format":
                return new Problem(at, at + " must be " + formatName(rule.asText()) + ", got " + show(value));
            default:
                return new Problem(at, at + " " + stripLocation(message.getMessage()));
        }
    }

    static List<Problem> toProblems(Iterable<ValidationMessage> messages) {
        List<Problem> problems = new ArrayList<>();
        for (ValidationMessage message : messages) {
            problems.add(toProblem(message));
        }
        problems.sort((a, b) -> a.location().compareTo(b.location()));
        return problems;
    }

    private static String count(JsonNode number, String noun) {
        int n = number.asInt();
        String plural = noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }

    private static String location(ValidationMessage message) {
        String path = message.getInstanceLocation().toString();
        return path.startsWith("$") ? "data" + path.substring(1) : "data." + path;
    }

    private static String child(String at, String property) {
        return property == null ? at : at + "." + property;
    }

    private static String stripLocation(String text) {
        int colon = text.indexOf(": ");
        return colon >= 0 && text.startsWith("$") ? text.substring(colon + 2) : text;
    }

    private static String expectedType(JsonNode rule) {
        if (rule.isArray()) {
            List<String> types = new ArrayList<>();
            rule.forEach(t -> {
                if (!t.asText().equals("null")) {
                    types.add(article(t.asText()));
                }
            });
            return String.join(" or ", types);
        }
        return article(rule.asText());
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private static String typeOf(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        return value.getNodeType().name().toLowerCase();
    }

    private static String list(JsonNode values) {
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add(v.isNull() ? "null" : v.asText()));
        return String.join(", ", names);
    }

    private static String formatName(String format) {
        return "date-time".equals(format) ? "an RFC 3339 timestamp like 2026-11-21T13:05:00Z" : "a valid " + format;
    }

    static String show(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        String text = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return text.length() > MAX_VALUE_LENGTH ? text.substring(0, MAX_VALUE_LENGTH) + "..." : text;
    }
}
