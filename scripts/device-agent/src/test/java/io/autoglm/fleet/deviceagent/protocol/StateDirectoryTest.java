package io.autoglm.fleet.deviceagent.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StateDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void theCredentialSurvivesAndCanBeForgotten() {
        StoredCredential credential = new StoredCredential("acme", "dev-1", "token", Instant.parse("2027-01-01T00:00:00Z"));
        new StateDirectory(dir.resolve("agent")).saveCredential(credential);

        StateDirectory reopened = new StateDirectory(dir.resolve("agent"));
        assertThat(reopened.credential()).contains(credential);

        reopened.forgetCredential();
        assertThat(new StateDirectory(dir.resolve("agent")).credential()).isEmpty();
        assertThat(dir.resolve("agent").resolve("credential.json.tmp")).doesNotExist();
    }

    @Test
    void aCredentialIsExpiredFromItsExpiry() {
        StoredCredential credential = new StoredCredential("acme", "dev-1", "token", Instant.parse("2027-01-01T00:00:00Z"));

        assertThat(credential.expired(Instant.parse("2026-12-31T23:59:59Z"))).isFalse();
        assertThat(credential.expired(Instant.parse("2027-01-01T00:00:00Z"))).isTrue();
        assertThat(new StoredCredential("acme", "dev-1", "token", null).expired(Instant.MAX)).isFalse();
    }

    @Test
    void theHeartbeatNumberStartsAtZeroAndIsKept() {
        StateDirectory state = new StateDirectory(dir);
        assertThat(state.heartbeatSeq()).isZero();

        state.saveHeartbeatSeq(41);

        assertThat(new StateDirectory(dir).heartbeatSeq()).isEqualTo(41);
    }

    @Test
    void takenCommandsAreBoundedOldestFirstAndKept() throws Exception {
        CommandsTaken taken = new CommandsTaken(3, new StateDirectory(dir));

        assertThat(taken.add("a")).isTrue();
        assertThat(taken.add("a")).isFalse();
        taken.add("b");
        taken.add("c");
        taken.add("d");

        assertThat(taken.ids()).containsExactly("b", "c", "d");
        assertThat(taken.contains("a")).isFalse();
        assertThat(Files.readString(dir.resolve("commands-taken"))).isEqualTo("b\nc\nd\n");
        CommandsTaken reopened = new CommandsTaken(2, new StateDirectory(dir));
        assertThat(reopened.ids()).containsExactly("c", "d");
    }
}
