package io.autoglm.fleet.triggers.dispatch;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a subscriber answered: status, headers (as received) and body; a 2xx answer carrying a
 * CloudEvent is the subscriber's reply event.
 */
public record SubscriberResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public SubscriberResponse {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    /** The first header of that name, in any letter case, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
