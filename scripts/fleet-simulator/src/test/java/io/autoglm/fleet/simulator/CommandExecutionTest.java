package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.device.AgentAction;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommandExecutionTest {

    private static final List<AgentAction> PHONE = List.of(AgentAction.TAP, AgentAction.LAUNCH, AgentAction.WAIT, AgentAction.OBSERVE);

    @Test
    void anObservationIsARealPngOfTheSimulatedScreenAndTheAppInFront() throws Exception {
        var outcome = new CommandExecution(1, 0).execute(new CommandAction(AgentAction.OBSERVE, Map.of()), PHONE, false);

        assertThat(outcome).isInstanceOf(CommandExecution.Completed.class);
        var completed = (CommandExecution.Completed) outcome;
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(completed.png())));
        assertThat(image.getWidth()).isEqualTo(completed.width()).isEqualTo(CommandExecution.SCREEN_WIDTH);
        assertThat(image.getHeight()).isEqualTo(completed.height());
        assertThat(completed.currentApp()).isNotBlank();
    }

    @Test
    void anActionTheDeviceDoesNotDeclareIsDeclinedAtOnceNamingWhatItDoes() {
        var outcome = new CommandExecution(1, 0).execute(new CommandAction(AgentAction.SWIPE, Map.of()), PHONE, false);

        assertThat(outcome).isInstanceOfSatisfying(CommandExecution.Declined.class, declined -> {
            assertThat(declined.reason()).isEqualTo(DeclineReason.UNSUPPORTED_ACTION);
            assertThat(declined.message()).contains("Swipe").contains("Tap");
            assertThat(declined.delay()).isZero();
        });
    }

    @Test
    void aWaitTakesWhatItSaysAndAShareFailsAsInTheField() {
        var execution = new CommandExecution(3, 0.2);
        var outcomes = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> execution.execute(new CommandAction(AgentAction.WAIT, Map.of("duration", "2 seconds")), PHONE, false)).toList();

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.delay().toMillis()).isEqualTo(2000));
        long failed = outcomes.stream().filter(CommandExecution.Failed.class::isInstance).count();
        assertThat(failed).isBetween(60L, 140L);
    }

    @Test
    void aBusyDeviceRefusesSomeCommandsAsBusy() {
        var execution = new CommandExecution(5, 0);
        var outcomes = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> execution.execute(new CommandAction(AgentAction.TAP, Map.of()), PHONE, true)).toList();

        assertThat(outcomes).anySatisfy(outcome -> assertThat(outcome).isInstanceOfSatisfying(CommandExecution.Declined.class,
                declined -> assertThat(declined.reason()).isEqualTo(DeclineReason.BUSY)));
        assertThat(outcomes).anySatisfy(outcome -> assertThat(outcome).isInstanceOf(CommandExecution.Completed.class));
    }
}
