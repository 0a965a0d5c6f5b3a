package io.autoglm.fleet.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RejectionReasonTest {

    @Test
    void theRoutersProblemsAreCountedByReasonWithoutTheIdsAndCountsOfOneOccasion() {
        assertThat(RejectionReason.of("no ONLINE device of tenant acme has platform [ANDROID], actions 'Launch', >= 4096 MB memory "
                + "(100 registered, 0 ONLINE)")).isEqualTo("no ONLINE device has what it asks");
        assertThat(RejectionReason.of("command batch-acme-7-2: no ONLINE device of tenant globex has actions 'Tap' (3 registered, 1 ONLINE)"))
                .isEqualTo("no ONLINE device has what it asks");
        assertThat(RejectionReason.of("device d-42 is not registered in tenant acme")).isEqualTo("the device it names is not registered");
        assertThat(RejectionReason.of("device d-42 is SUSPECT, not ONLINE")).isEqualTo("the device it names is SUSPECT, not ONLINE");
        assertThat(RejectionReason.of("command c-1: device d-42 does not support action 'Back'"))
                .isEqualTo("the device it names does not support action 'Back'");
        assertThat(RejectionReason.of("device d-42 has 2048 MB of memory, 4096 MB are required"))
                .isEqualTo("the device it names has too little memory");
        assertThat(RejectionReason.of("something new")).isEqualTo("something new");
    }

    @Test
    void aRejectionCountsEachOfItsReasonsOnceAndTheLiveStatusShowsThemMostFrequentFirst() {
        FleetStatus status = new FleetStatus();
        FleetStatus.Snapshot before = status.snapshot();
        status.rejected(List.of("command b-1: no ONLINE device of tenant acme has actions 'Tap' (4 registered, 0 ONLINE)",
                "command b-2: no ONLINE device of tenant acme has actions 'Home' (4 registered, 0 ONLINE)"));
        status.rejected(List.of("no ONLINE device of tenant acme has actions 'Tap' (4 registered, 1 ONLINE)"));
        status.rejected(List.of("device d-1 is OFFLINE, not ONLINE"));

        FleetStatus.Snapshot now = status.snapshot();

        assertThat(now.rejections()).containsExactlyInAnyOrderEntriesOf(Map.of("no ONLINE device has what it asks", 2L,
                "the device it names is OFFLINE, not ONLINE", 1L));
        assertThat(StatusBoard.live(Duration.ofSeconds(5), now, before))
                .contains("         rejected because: 2 no ONLINE device has what it asks, 1 the device it names is OFFLINE, not ONLINE");
        assertThat(StatusBoard.summary(Duration.ofSeconds(5), now, List.of()))
                .contains("  rejected        2 no ONLINE device has what it asks, 1 the device it names is OFFLINE, not ONLINE")
                .contains("                  the last: device d-1 is OFFLINE, not ONLINE");
    }
}
