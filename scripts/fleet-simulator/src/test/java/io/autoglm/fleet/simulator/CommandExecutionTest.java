package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.simulator.phone.SimulatedPhone;
import io.autoglm.fleet.simulator.phone.SimulatedScreenshot;
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

    private final SimulatedPhone phone = new SimulatedPhone();

    @Test
    void anObservationIsARealPngOfThePhonesScreenAndTheAppInFront() throws Exception {
        var execution = new CommandExecution(1, 0);
        assertThat(execution.execute(new CommandAction(AgentAction.LAUNCH, Map.of("app", "Shop")), PHONE, false, phone))
                .isInstanceOf(CommandExecution.Completed.class);

        var outcome = execution.execute(new CommandAction(AgentAction.OBSERVE, Map.of()), PHONE, false, phone);

        assertThat(outcome).isInstanceOf(CommandExecution.Completed.class);
        var completed = (CommandExecution.Completed) outcome;
        byte[] png = Base64.getDecoder().decode(completed.png());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(completed.width()).isEqualTo(SimulatedScreenshot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(completed.height());
        assertThat(completed.currentApp()).isEqualTo("Shop");
        assertThat(SimulatedScreenshot.describe(png)).hasValueSatisfying(screen -> assertThat(screen.is("Shop", "home")).isTrue());
    }

    @Test
    void aLaunchOfAnAppThePhoneLacksFailsAsNotInstalledAndAFailureLeavesThePhoneAsItWas() {
        var launch = new CommandAction(AgentAction.LAUNCH, Map.of("app", "WeChat"));
        assertThat(new CommandExecution(1, 0).execute(launch, PHONE, false, phone)).isInstanceOfSatisfying(CommandExecution.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(CommandFailureReason.APP_NOT_INSTALLED));

        var settings = new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings"));
        assertThat(new CommandExecution(1, 1).execute(settings, PHONE, false, phone)).isInstanceOf(CommandExecution.Failed.class);
        assertThat(phone.currentApp()).isEqualTo(SimulatedPhone.HOME);
    }

    @Test
    void anActionTheDeviceDoesNotDeclareIsDeclinedAtOnceNamingWhatItDoes() {
        var outcome = new CommandExecution(1, 0).execute(new CommandAction(AgentAction.SWIPE, Map.of()), PHONE, false, phone);

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
                .mapToObj(i -> execution.execute(new CommandAction(AgentAction.WAIT, Map.of("duration", "2 seconds")), PHONE, false, phone)).toList();

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.delay().toMillis()).isEqualTo(2000));
        long failed = outcomes.stream().filter(CommandExecution.Failed.class::isInstance).count();
        assertThat(failed).isBetween(60L, 140L);
    }

    @Test
    void aBusyDeviceRefusesSomeCommandsAsBusy() {
        var execution = new CommandExecution(5, 0);
        var outcomes = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> execution.execute(new CommandAction(AgentAction.TAP, Map.of("element", "[500,500]")), PHONE, true, phone)).toList();

        assertThat(outcomes).anySatisfy(outcome -> assertThat(outcome).isInstanceOfSatisfying(CommandExecution.Declined.class,
                declined -> assertThat(declined.reason()).isEqualTo(DeclineReason.BUSY)));
        assertThat(outcomes).anySatisfy(outcome -> assertThat(outcome).isInstanceOf(CommandExecution.Completed.class));
    }

    @Test
    void aDeviceThatAnswersAtOnceNeitherWaitsNorFailsNorIsBusy() {
        var execution = new CommandExecution(1, 1, true);
        for (int i = 0; i < 50; i++) {
            assertThat(execution.execute(new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")), PHONE, true, phone))
                    .isInstanceOfSatisfying(CommandExecution.Completed.class, completed -> assertThat(completed.delay()).isZero());
        }
    }
}
