package io.autoglm.fleet.registry;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version of the device agent ({@code 1.4.2}, {@code 2.0.0-rc.1}), ordered by semver
 * precedence on major, minor, patch and whether it is a pre-release; build metadata is ignored.
 */
public record AgentVersion(int major, int minor, int patch, String preRelease) implements Comparable<AgentVersion> {

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");

    public AgentVersion {
        preRelease = preRelease == null ? "" : preRelease;
    }

    /** @throws IllegalArgumentException if {@code text} is not a semantic version */
    public static AgentVersion parse(String text) {
        Matcher m = SEMVER.matcher(Objects.requireNonNull(text, "text"));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a semantic version like 1.4.2");
        }
        return new AgentVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4));
    }

    @Override
    public int compareTo(AgentVersion other) {
        int byNumbers = major != other.major ? Integer.compare(major, other.major)
                : minor != other.minor ? Integer.compare(minor, other.minor)
                : Integer.compare(patch, other.patch);
        if (byNumbers != 0) {
            return byNumbers;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        return preRelease.compareTo(other.preRelease);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + preRelease);
    }
}
