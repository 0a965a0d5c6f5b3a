package io.autoglm.fleet.events.device;

import java.util.Objects;

/** Region and optional zone, in the cloud provider's naming (e.g. "eu-west-1", "eu-west-1a"). */
public record Location(String region, String zone) {
    public Location {
        Objects.requireNonNull(region, "region");
    }
}
