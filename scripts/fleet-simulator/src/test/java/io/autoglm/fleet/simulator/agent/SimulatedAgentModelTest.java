package io.autoglm.fleet.simulator.agent;

import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentReply;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.agent.UnparseableReplyException;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.simulator.phone.PhoneActionFailed;
import io.autoglm.fleet.simulator.phone.Screen;
import io.autoglm.fleet.simulator.phone.SimulatedPhone;
import io.autoglm.fleet.simulator.phone.SimulatedScreenshot;
import io.autoglm.fleet.simulator.phone.Widget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The planner drives a simulated phone by its own replies, reading each screen from the screenshot alone, until it finishes. */
class SimulatedAgentModelTest {

    private static final int MAX_STEPS = 30;

    /** A task run to its end: every reply, and the phone as it was left. */
    private record Run(List<AgentReply> replies, SimulatedPhone phone) {
        StepAction last() {
            return replies.get(replies.size() - 1).action();
        }

        Screen screen() {
            return phone.screen();
        }

        List<StepAction> actions() {
            return replies.stream().map(AgentReply::action).toList();
        }
    }

    private static Run run(String instruction, SimulatedPhone phone) throws Exception {
        SimulatedAgentModel model = new SimulatedAgentModel(0, 1);
        List<String> raw = new ArrayList<>();
        List<AgentReply> replies = new ArrayList<>();
        for (int step = 0; step < MAX_STEPS; step++) {
            Screen seen = SimulatedScreenshot.describe(phone.screenshot()).orElseThrow();
            String reply = model.reply(instruction, List.copyOf(raw), seen);
            AgentReply parsed = ActionGrammar.parse(reply);
            raw.add(reply);
            replies.add(parsed);
            if (parsed.action().ends()) {
                return new Run(replies, phone);
            }
            try {
                StepsOnPhone.carryOut(parsed.action(), phone);
            } catch (PhoneActionFailed failed) {
                // a failed command leaves the phone as it was: the next step sees that
            }
        }
        throw new AssertionError("no finish in " + MAX_STEPS + " steps for '" + instruction + "': " + replies.stream().map(AgentReply::answer).toList());
    }

    private static Run run(String instruction) throws Exception {
        return run(instruction, new SimulatedPhone());
    }

    private static Predicate<Screen> switchIs(String id, boolean on) {
        return screen -> screen.widget(id).filter(widget -> widget.kind() == Widget.Kind.SWITCH).map(Widget::on).filter(value -> value == on).isPresent();
    }

    @Test
    void itTurnsOnWiFiInSettingsAndFinishesWhenTheSwitchShowsOn() throws Exception {
        Run run = run("open Settings and turn on Wi-Fi");

        assertThat(run.screen()).matches(switchIs("wifi", true));
        assertThat(run.last()).isEqualTo(new StepAction.Finish("Wi-Fi is on now."));
        assertThat(run.actions()).first().isEqualTo(new StepAction.Launch("Settings"));
        assertThat(run.actions()).hasSize(4); // launch, the Wi-Fi row, the switch, finish
    }

    @ParameterizedTest
    @ValueSource(strings = {"turn off Bluetooth", "关闭蓝牙", "switch on airplane mode", "enable dark theme", "打开WLAN"})
    void itFlipsEachSwitchTheWayTheInstructionSays(String instruction) throws Exception {
        Goal.Switch goal = (Goal.Switch) Goal.of(instruction);
        Run run = run(instruction);

        assertThat(run.screen()).matches(switchIs(goal.switchId(), goal.on()));
        assertThat(run.last()).isInstanceOf(StepAction.Finish.class);
    }

    @Test
    void aSwitchAlreadyWhereItShouldBeIsLeftAlone() throws Exception {
        Run run = run("turn on bluetooth"); // on out of the box

        assertThat(run.actions()).noneMatch(action -> action instanceof StepAction.Tap tap && run.screen().widget("bluetooth").orElseThrow().box()
                .contains(tap.element()));
        assertThat(run.screen()).matches(switchIs("bluetooth", true));
    }

    @Test
    void itSendsAMessageThroughTheComposeFieldAndFinishesWhenItShowsSent() throws Exception {
        Run run = run("send a message to Alice saying hi");

        assertThat(run.screen().title()).isEqualTo("Alice");
        assertThat(run.screen().widgets()).filteredOn(widget -> widget.kind() == Widget.Kind.TEXT).last().extracting(Widget::label).isEqualTo("Me: hi");
        assertThat(run.actions()).contains(new StepAction.Type("hi", false));
        assertThat(run.last()).isEqualTo(new StepAction.Finish("Sent \"hi\" to Alice."));
    }

    @Test
    void itScrollsToAContactBelowTheScreenAndReadsChineseInstructions() throws Exception {
        Run run = run("给张三发消息说你好");

        assertThat(run.actions()).anyMatch(StepAction.Swipe.class::isInstance);
        assertThat(run.screen().title()).isEqualTo("张三");
        assertThat(run.screen().widgets()).extracting(Widget::label).contains("Me: 你好");
    }

    @Test
    void aSecondMessageWithTheSameTextIsSentAgainNotTakenForDone() throws Exception {
        SimulatedPhone phone = new SimulatedPhone();
        run("text Bob: on my way", phone);
        Run again = run("text Bob: on my way", phone);

        assertThat(again.screen().widgets()).extracting(Widget::label).containsSubsequence("Me: on my way", "Me: on my way");
    }

    @Test
    void itSearchesTheShopWaitingForTheResultsToLoad() throws Exception {
        Run run = run("search for shoes in the shop");

        assertThat(run.screen().is("Shop", "results")).isTrue();
        assertThat(run.screen().widget("search").orElseThrow().value()).isEqualTo("shoes");
        assertThat(run.actions()).contains(new StepAction.Type("shoes", false)).anyMatch(StepAction.Wait.class::isInstance);
        assertThat(run.last()).isEqualTo(new StepAction.Finish("3 results for \"shoes\"."));
    }

    @Test
    void buyingHandsOverForTheSignInAndMarksThePaymentSensitive() throws Exception {
        Run run = run("buy running shoes in the shop");

        assertThat(run.screen().is("Shop", "ordered")).isTrue();
        assertThat(run.actions()).anyMatch(StepAction.TakeOver.class::isInstance);
        assertThat(run.actions()).filteredOn(StepAction.Tap.class::isInstance).map(StepAction.Tap.class::cast)
                .filteredOn(tap -> tap.sensitiveMessage() != null).singleElement()
                .satisfies(pay -> assertThat(pay.sensitiveMessage()).isEqualTo("Pay $59.99 for Running shoes?"));
        assertThat(run.last()).isEqualTo(new StepAction.Finish("Bought it: Order #1001: Running shoes."));

        Run second = run("buy a phone case", run.phone()); // signed in now: no hand-over
        assertThat(second.actions()).noneMatch(StepAction.TakeOver.class::isInstance);
        assertThat(second.last()).isEqualTo(new StepAction.Finish("Bought it: Order #1002: Phone case."));
    }

    @Test
    void itReadsTheAndroidVersionAtTheBottomOfSettings() throws Exception {
        Run run = run("What Android version does this phone run? Look in About phone.");

        assertThat(run.actions()).anyMatch(StepAction.Swipe.class::isInstance);
        assertThat(run.last()).isEqualTo(new StepAction.Finish("The phone runs Android version 14."));
    }

    @Test
    void itGetsThereFromWhereverAnEarlierTaskLeftThePhone() throws Exception {
        SimulatedPhone phone = new SimulatedPhone();
        run("search for books in the shop", phone);
        run("send a message to Carol saying later", phone);
        phone.execute(new CommandAction(AgentAction.TAP, Map.of("element", phone.screen().widget("compose").orElseThrow().box().center().toString())));

        Run run = run("turn on wifi", phone);
        assertThat(run.screen()).matches(switchIs("wifi", true));
        Run shop = run("search for earbuds in the shop", phone); // the shop shows the books' results: back to its home first
        assertThat(shop.actions()).first().isEqualTo(new StepAction.Launch("Shop"));
        assertThat(shop.actions()).contains(new StepAction.Back());
        assertThat(shop.screen().widget("product-wireless-earbuds")).isPresent();
        Run home = run("go to the home screen", phone);
        assertThat(home.screen().app()).isEqualTo(SimulatedPhone.HOME);
    }

    @Test
    void itOpensAnAppAndSaysWhenOneWillNotOpen() throws Exception {
        assertThat(run("open Messages").screen().app()).isEqualTo("Messages");
        assertThat(run("打开微信").last()).isEqualTo(new StepAction.Finish("微信 would not open: it may not be installed."));
        assertThat(run("book a flight to Paris").last()).isInstanceOf(StepAction.Finish.class);
    }

    @Test
    void withEveryReplyBadNoneParsesAndEachKindComesUp() {
        SimulatedAgentModel model = new SimulatedAgentModel(1, 7);
        Screen home = new SimulatedPhone().screen();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String reply = model.reply("turn on wifi", List.of(), home);
            assertThatThrownBy(() -> ActionGrammar.parse(reply)).isInstanceOfSatisfying(UnparseableReplyException.class,
                    e -> reasons.add(e.reason()));
        }
        assertThat(reasons).anyMatch(reason -> reason.contains("no <answer>")).anyMatch(reason -> reason.contains("off the screen"))
                .anyMatch(reason -> reason.contains("unknown action"));
    }

    @Test
    void aShareOfRepliesIsBad() throws Exception {
        SimulatedAgentModel model = new SimulatedAgentModel(0.1, 3);
        Screen home = new SimulatedPhone().screen();
        int bad = 0;
        for (int i = 0; i < 1000; i++) {
            try {
                ActionGrammar.parse(model.reply("turn on wifi", List.of(), home));
            } catch (UnparseableReplyException e) {
                bad++;
            }
        }
        assertThat(bad).isBetween(60, 140);
    }
}
