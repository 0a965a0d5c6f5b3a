package io.autoglm.fleet.simulator.agent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstructionsTest {

    @Test
    void messagesAreReadInTheirUsualPhrasings() {
        assertThat(Goal.of("send a message to Alice saying hi")).isEqualTo(new Goal.SendMessage("Alice", "hi"));
        assertThat(Goal.of("Send Bob a message saying \"see you at 6\".")).isEqualTo(new Goal.SendMessage("Bob", "see you at 6"));
        assertThat(Goal.of("text Carol: on my way")).isEqualTo(new Goal.SendMessage("Carol", "on my way"));
        assertThat(Goal.of("Open Messages and send a message to Zoe saying welcome")).isEqualTo(new Goal.SendMessage("Zoe", "welcome"));
        assertThat(Goal.of("给张三发消息说你好")).isEqualTo(new Goal.SendMessage("张三", "你好"));
    }

    @Test
    void theShopsSearchesAndPurchasesAreTold() {
        assertThat(Goal.of("search for shoes in the shop")).isEqualTo(new Goal.Search("shoes"));
        assertThat(Goal.of("Search the shop for wifi routers")).isEqualTo(new Goal.Search("wifi routers"));
        assertThat(Goal.of("find books")).isEqualTo(new Goal.Search("books"));
        assertThat(Goal.of("在商城搜索耳机")).isEqualTo(new Goal.Search("耳机"));
        assertThat(Goal.of("buy running shoes in the shop")).isEqualTo(new Goal.Buy("running shoes"));
        assertThat(Goal.of("Buy a pair of running shoes in the shop")).isEqualTo(new Goal.Buy("running shoes"));
        assertThat(Goal.of("在商城买一个 Phone case")).isEqualTo(new Goal.Buy("Phone case"));
        assertThat(Goal.of("Order a phone case.")).isEqualTo(new Goal.Buy("phone case"));
    }

    @Test
    void switchesGoOnUnlessTheInstructionSaysOff() {
        assertThat(Goal.of("open Settings and turn on Wi-Fi")).isInstanceOfSatisfying(Goal.Switch.class, goal -> {
            assertThat(goal.switchId()).isEqualTo("wifi");
            assertThat(goal.on()).isTrue();
        });
        assertThat(Goal.of("turn Bluetooth off")).isInstanceOfSatisfying(Goal.Switch.class, goal -> assertThat(goal.on()).isFalse());
        assertThat(Goal.of("打开飞行模式")).isInstanceOfSatisfying(Goal.Switch.class, goal -> assertThat(goal.switchId()).isEqualTo("airplane"));
    }

    @Test
    void theRestIsAnAppTheHomeScreenTheVersionOrNotUnderstood() {
        assertThat(Goal.of("launch the shop")).isEqualTo(new Goal.OpenApp("Shop"));
        assertThat(Goal.of("打开设置")).isEqualTo(new Goal.OpenApp("Settings"));
        assertThat(Goal.of("go back to the home screen")).isEqualTo(new Goal.GoHome());
        assertThat(Goal.of("Which Android version is this?")).isEqualTo(new Goal.AboutPhone());
        assertThat(Goal.of("book a flight to Paris")).isEqualTo(new Goal.Unknown("book a flight to Paris"));
    }
}
