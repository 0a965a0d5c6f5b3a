package io.autoglm.fleet.modelstore;

import java.util.List;

/**
 * The result of checking one stored version against its manifest: every file's presence, size and
 * sha256. {@code problems} is empty for a sound version.
 */
public record Verification(String model, int version, int files, long bytes, List<String> problems) {

    public Verification {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
