package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's memory across restarts, one small file each in a folder of its own: the credential
 * ({@code credential.json}), the last heartbeat number ({@code heartbeat-seq}) and the ids of the commands
 * it has taken ({@code commands-taken}). Every write goes to a temporary file first and is moved into
 * place, so a crash leaves the old file or the new one, never half of one.
 */
public final class StateDirectory {

    private static final String CREDENTIAL = "credential.json";
    private static final String HEARTBEAT_SEQ = "heartbeat-seq";
    private static final String COMMANDS_TAKEN = "commands-taken";

    private final Path dir;

    public StateDirectory(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + dir, e);
        }
    }

    public Path path() {
        return dir;
    }

    public Optional<StoredCredential> credential() {
        return read(CREDENTIAL).map(bytes -> EventJson.read(bytes, StoredCredential.class));
    }

    public void saveCredential(StoredCredential credential) {
        write(CREDENTIAL, EventJson.write(credential));
    }

    public void forgetCredential() {
        try {
            Files.deleteIfExists(dir.resolve(CREDENTIAL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last heartbeat number sent, 0 before the first. */
    public long heartbeatSeq() {
        return read(HEARTBEAT_SEQ).map(bytes -> Long.parseLong(new String(bytes, StandardCharsets.UTF_8).strip())).orElse(0L);
    }

    public void saveHeartbeatSeq(long seq) {
        write(HEARTBEAT_SEQ, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
    }

    /** The ids of the commands taken, oldest first. */
    public List<String> commandsTaken() {
        return read(COMMANDS_TAKEN).map(bytes -> {
            List<String> ids = new ArrayList<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    ids.add(line.strip());
                }
            }
            return ids;
        }).orElse(List.of());
    }

    public void saveCommandsTaken(List<String> ids) {
        write(COMMANDS_TAKEN, (String.join("\n", ids) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Optional<byte[]> read(String name) {
        Path file = dir.resolve(name);
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(String name, byte[] content) {
        Path target = dir.resolve(name);
        Path temporary = dir.resolve(name + ".tmp");
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
