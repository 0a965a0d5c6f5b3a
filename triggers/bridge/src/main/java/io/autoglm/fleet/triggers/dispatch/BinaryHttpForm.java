package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.pulsar.PulsarProperties;
import io.autoglm.fleet.triggers.knative.EventAttributes;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.v1.CloudEventV1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an event read from Pulsar into a binary-mode HTTP request. A binary-mode Pulsar message maps
 * straight across ({@code ce_x} property to {@code ce-x} header, {@code content-type} to
 * {@code Content-Type}, value to body) without building a {@link CloudEvent}; a structured one is
 * read first. Header values are percent-encoded as the HTTP binding requires.
 */
public final class BinaryHttpForm {

    public static final String CONTENT_TYPE = "Content-Type";
    private static final String HEADER_PREFIX = "ce-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final int MAX_NAMES_REMEMBERED = 256;
    private static final Map<String, String> HEADER_NAMES = new ConcurrentHashMap<>();

    private BinaryHttpForm() {
    }

    /** From the properties and value of a binary-mode Pulsar message. */
    public static OutboundEvent of(Map<String, String> properties, byte[] value) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(properties.size());
        properties.forEach((name, text) -> {
            if (name.equals(PulsarProperties.CONTENT_TYPE)) {
                headers.add(Map.entry(CONTENT_TYPE, text));
            } else if (name.startsWith(PulsarProperties.CE_PREFIX) && name.length() > PulsarProperties.CE_PREFIX.length()) {
                headers.add(Map.entry(headerName(name), percentEncode(text)));
            }
        });
        return new OutboundEvent(headers, value == null ? new byte[0] : value);
    }

    /** {@code ce_x} to {@code ce-x}, remembered: the same few attribute names come with every event. */
    private static String headerName(String property) {
        String name = HEADER_NAMES.get(property);
        if (name == null) {
            name = HEADER_PREFIX + property.substring(PulsarProperties.CE_PREFIX.length());
            if (HEADER_NAMES.size() < MAX_NAMES_REMEMBERED) {
                HEADER_NAMES.put(property, name);
            }
        }
        return name;
    }

    /** From a built event. */
    public static OutboundEvent of(CloudEvent event) {
        EventAttributes attributes = EventAttributes.of(event);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(HEADER_PREFIX + CloudEventV1.SPECVERSION, event.getSpecVersion().toString()));
        for (String name : event.getAttributeNames()) {
            String value = attributes.get(name);
            if (value == null || name.equals(CloudEventV1.SPECVERSION)) {
                continue;
            }
            headers.add(name.equals(CloudEventV1.DATACONTENTTYPE) ? Map.entry(CONTENT_TYPE, value)
                    : Map.entry(HEADER_PREFIX + name, percentEncode(value)));
        }
        for (String name : event.getExtensionNames()) {
            headers.add(Map.entry(HEADER_PREFIX + name, percentEncode(attributes.get(name))));
        }
        return new OutboundEvent(headers, event.getData() == null ? new byte[0] : event.getData().toBytes());
    }

    /**
     * Percent-encodes what the HTTP binding says must be: space, {@code "}, {@code %} and anything
     * outside printable ASCII, as UTF-8 octets.
     */
    static String percentEncode(String value) {
        int i = 0;
        while (i < value.length() && safe(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        StringBuilder encoded = new StringBuilder(value.length() + 16).append(value, 0, i);
        for (byte b : value.substring(i).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (safe(c)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return encoded.toString();
    }

    private static boolean safe(char c) {
        return c >= 0x21 && c <= 0x7E && c != '"' && c != '%';
    }
}
