package io.autoglm.fleet.simulator.phone;

import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.device.AgentAction;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedPhoneTest {

    private final SimulatedPhone phone = new SimulatedPhone();

    private String run(AgentAction type, Map<String, String> params) throws PhoneActionFailed {
        return phone.execute(new CommandAction(type, params));
    }

    private String run(AgentAction type) throws PhoneActionFailed {
        return run(type, Map.of());
    }

    private RelativePoint at(String widget) {
        return phone.screen().widget(widget).orElseThrow(() -> new AssertionError(widget + " is not on " + phone.screen())).box().center();
    }

    private String tap(String widget) throws PhoneActionFailed {
        return run(AgentAction.TAP, Map.of("element", at(widget).toString()));
    }

    private String launch(String app) throws PhoneActionFailed {
        return run(AgentAction.LAUNCH, Map.of("app", app));
    }

    @Test
    void itStartsOnTheHomeScreenWithAnIconPerApp() {
        Screen home = phone.screen();

        assertThat(phone.currentApp()).isEqualTo(SimulatedPhone.HOME);
        assertThat(home.packageName()).isEqualTo("com.android.launcher3");
        assertThat(home.widgets()).filteredOn(widget -> widget.kind() == Widget.Kind.ICON).extracting(Widget::label)
                .containsExactly("Settings", "Messages", "Shop");
    }

    @Test
    void launchOpensAnAppByItsNameAnAliasOrItsPackageWhereItWasLeft() throws Exception {
        launch("settings");
        assertThat(phone.screen().is("Settings", "main")).isTrue();
        tap("wifi");
        launch("com.google.android.apps.messaging");
        assertThat(phone.currentApp()).isEqualTo("Messages");
        launch("设置");

        assertThat(phone.screen().is("Settings", "wifi")).isTrue();
        assertThat(phone.screen().packageName()).isEqualTo("com.android.settings");
    }

    @Test
    void anAppThePhoneDoesNotHaveFailsAsNotInstalled() {
        assertThatThrownBy(() -> launch("WeChat")).isInstanceOfSatisfying(PhoneActionFailed.class,
                failed -> assertThat(failed.reason()).isEqualTo(CommandFailureReason.APP_NOT_INSTALLED));
        assertThat(phone.currentApp()).isEqualTo(SimulatedPhone.HOME);
    }

    @Test
    void anIconOnTheHomeScreenOpensItsApp() throws Exception {
        tap("app-shop");

        assertThat(phone.screen().is("Shop", "home")).isTrue();
    }

    @Test
    void aTapOnARowOpensItsScreenAndATapOnASwitchFlipsIt() throws Exception {
        launch("Settings");
        tap("wifi");
        assertThat(phone.screen().widget("wifi").orElseThrow().on()).isFalse();

        tap("wifi");

        Screen wifi = phone.screen();
        assertThat(wifi.widget("wifi").orElseThrow().on()).isTrue();
        assertThat(wifi.widget("network-homenet").orElseThrow().value()).isEqualTo("Connected");
    }

    @Test
    void aTapThatHitsNothingChangesNothing() throws Exception {
        launch("Settings");
        tap("display");
        Screen before = phone.screen();
        byte[] screenshot = phone.screenshot();

        assertThat(run(AgentAction.TAP, Map.of("element", "[500,700]"))).startsWith("nothing at");
        assertThat(run(AgentAction.TAP, Map.of("element", "[500,50]"))).startsWith("nothing at"); // the status bar
        assertThat(run(AgentAction.DOUBLE_TAP, Map.of("element", "[500,990]"))).startsWith("nothing at");

        assertThat(phone.screen()).isEqualTo(before);
        assertThat(phone.screenshot()).isEqualTo(screenshot);
    }

    @Test
    void typeFillsTheFieldWithTheKeyboardAndNothingWithoutOne() throws Exception {
        launch("Messages");
        tap("contact-alice");
        assertThat(run(AgentAction.TYPE, Map.of("text", "lost"))).contains("no field");
        assertThat(phone.screen().widget("compose").orElseThrow().value()).isEmpty();

        tap("compose");
        assertThat(phone.screen().focused()).map(Widget::id).contains("compose");
        run(AgentAction.TYPE, Map.of("text", "hi"));
        assertThat(phone.screen().widget("compose").orElseThrow().value()).isEqualTo("hi");
        tap("send");

        Screen conversation = phone.screen();
        assertThat(conversation.title()).isEqualTo("Alice");
        assertThat(conversation.widgets()).filteredOn(widget -> widget.kind() == Widget.Kind.TEXT).last().extracting(Widget::label)
                .isEqualTo("Me: hi");
        assertThat(conversation.widget("compose").orElseThrow().value()).isEmpty();
    }

    @Test
    void backClosesTheKeyboardThenTheScreenThenTheAppAndHomeGoesHome() throws Exception {
        launch("Messages");
        tap("contact-bob");
        tap("compose");

        run(AgentAction.BACK);
        assertThat(phone.screen().focused()).isEmpty();
        assertThat(phone.screen().is("Messages", "conversation")).isTrue();
        run(AgentAction.BACK);
        assertThat(phone.screen().is("Messages", "list")).isTrue();
        run(AgentAction.BACK);
        assertThat(phone.currentApp()).isEqualTo(SimulatedPhone.HOME);

        launch("Messages");
        tap("contact-bob");
        run(AgentAction.HOME);
        assertThat(phone.currentApp()).isEqualTo(SimulatedPhone.HOME);
    }

    @Test
    void aSwipeUpScrollsALongListToWhatWasBelowAndASwipeDownBack() throws Exception {
        launch("Settings");
        assertThat(phone.screen().widget("about")).isEmpty();
        assertThat(phone.screen().moreBelow()).isTrue();

        run(AgentAction.SWIPE, Map.of("start", "[500,800]", "end", "[500,300]"));
        assertThat(phone.screen().widget("about")).isPresent();
        assertThat(phone.screen().moreAbove()).isTrue();
        assertThat(phone.screen().widget("wifi")).isEmpty();
        tap("about");
        assertThat(phone.screen().widget("android-version").orElseThrow().label()).contains("14");

        run(AgentAction.BACK);
        run(AgentAction.SWIPE, Map.of("start", "[500,300]", "end", "[500,800]"));
        assertThat(phone.screen().widget("wifi")).isPresent();
        assertThat(run(AgentAction.SWIPE, Map.of("start", "[100,500]", "end", "[900,500]"))).contains("nothing scrolls");
    }

    @Test
    void aPageThatLoadsIsReadyAfterTheNextActionAndTapsOnItMeanwhileHitNothing() throws Exception {
        launch("Shop");
        tap("category-shoes");
        Screen loading = phone.screen();
        assertThat(loading.loading()).isTrue();
        assertThat(phone.screenshot()).isNotEmpty();

        run(AgentAction.WAIT, Map.of("duration", "1 seconds"));

        Screen results = phone.screen();
        assertThat(results.is("Shop", "results")).isTrue();
        assertThat(results.loading()).isFalse();
        assertThat(results.widget("product-running-shoes")).isPresent();
    }

    @Test
    void aLongPressPinsAConversationAndADoubleTapTaps() throws Exception {
        launch("Messages");
        run(AgentAction.LONG_PRESS, Map.of("element", at("contact-carol").toString()));

        Widget first = phone.screen().widgets().get(0);
        assertThat(first.label()).isEqualTo("Carol");
        assertThat(first.value()).startsWith("Pinned");
        assertThat(phone.screen().is("Messages", "list")).isTrue();

        run(AgentAction.DOUBLE_TAP, Map.of("element", at("contact-carol").toString()));
        assertThat(phone.screen().title()).isEqualTo("Carol");
    }

    @Test
    void buyingAsksForASignInThatAPersonDoesThenTheCheckoutPays() throws Exception {
        launch("Shop");
        tap("search");
        run(AgentAction.TYPE, Map.of("text", "running shoes"));
        tap("search-button");
        run(AgentAction.WAIT);
        tap("product-running-shoes");
        tap("buy");
        assertThat(phone.screen().is("Shop", "sign-in")).isTrue();

        assertThat(phone.takeOver()).isTrue();
        assertThat(phone.screen().is("Shop", "checkout")).isTrue();
        tap("pay");

        assertThat(phone.screen().is("Shop", "ordered")).isTrue();
        assertThat(phone.screen().widget("order").orElseThrow().label()).isEqualTo("Order #1001: Running shoes");
        tap("done");
        assertThat(phone.screen().is("Shop", "home")).isTrue();
        assertThat(phone.takeOver()).isFalse();
    }

    @Test
    void aPointThatIsNotOneIsAnInvalidArgument() {
        assertThatThrownBy(() -> run(AgentAction.TAP, Map.of("element", "middle"))).isInstanceOfSatisfying(PhoneActionFailed.class,
                failed -> assertThat(failed.reason()).isEqualTo(CommandFailureReason.INVALID_ARGUMENTS));
        assertThatThrownBy(() -> run(AgentAction.TAP, Map.of("element", "[1080,2000]"))).isInstanceOf(PhoneActionFailed.class);
        assertThatThrownBy(() -> run(AgentAction.TAP)).isInstanceOf(PhoneActionFailed.class);
    }

    @Test
    void anObservationChangesNothing() throws Exception {
        launch("Shop");
        tap("category-books");
        Screen loading = phone.screen();

        run(AgentAction.OBSERVE);

        assertThat(phone.screen()).isEqualTo(loading);
    }
}
