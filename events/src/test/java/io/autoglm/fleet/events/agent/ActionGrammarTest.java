package io.autoglm.fleet.events.agent;

import io.autoglm.fleet.events.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionGrammarTest {

    private static RelativePoint at(int x, int y) {
        return new RelativePoint(x, y);
    }

    /** Every action as a model writes it, and what it reads as. */
    static Stream<Arguments> everyAction() {
        return Stream.of(
                Arguments.of("do(action=\"Launch\", app=\"微信\")", new StepAction.Launch("微信")),
                Arguments.of("do(action=\"Tap\", element=[500,300])", new StepAction.Tap(at(500, 300), null)),
                Arguments.of("do(action=\"Tap\", element=[120, 940], message=\"确认支付 ¥99\")",
                        new StepAction.Tap(at(120, 940), "确认支付 ¥99")),
                Arguments.of("do(action=\"Type\", text=\"hello world\")", new StepAction.Type("hello world", false)),
                Arguments.of("do(action=\"Type_Name\", text=\"张三\")", new StepAction.Type("张三", true)),
                Arguments.of("do(action=\"Interact\")", new StepAction.Interact()),
                Arguments.of("do(action=\"Swipe\", start=[500,800], end=[500,200])", new StepAction.Swipe(at(500, 800), at(500, 200))),
                Arguments.of("do(action=\"Note\", message=\"price is 42\")", new StepAction.Note("price is 42")),
                Arguments.of("do(action=\"Call_API\", instruction=\"summarise the notes\")", new StepAction.CallApi("summarise the notes")),
                Arguments.of("do(action=\"Long Press\", element=[0,999])", new StepAction.LongPress(at(0, 999))),
                Arguments.of("do(action=\"Double Tap\", element=[999,0])", new StepAction.DoubleTap(at(999, 0))),
                Arguments.of("do(action=\"Take_over\", message=\"please log in\")", new StepAction.TakeOver("please log in")),
                Arguments.of("do(action=\"Back\")", new StepAction.Back()),
                Arguments.of("do(action=\"Home\")", new StepAction.Home()),
                Arguments.of("do(action=\"Wait\", duration=\"2 seconds\")", new StepAction.Wait(Duration.ofSeconds(2))),
                Arguments.of("do(action=\"Wait\", duration=\"1.5 seconds\")", new StepAction.Wait(Duration.ofMillis(1500))),
                Arguments.of("do(action=\"Wait\")", new StepAction.Wait(Duration.ofSeconds(1))),
                Arguments.of("finish(message=\"已完成\")", new StepAction.Finish("已完成")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyAction")
    void everyActionReadsAsItsTypedFormAndWritesBackTheSame(String answer, StepAction expected) throws Exception {
        assertThat(ActionGrammar.parseAction(answer)).isEqualTo(expected);
        assertThat(ActionGrammar.parseAction(ActionGrammar.format(expected))).isEqualTo(expected);
        AgentReply reply = ActionGrammar.parse("<think>the screen shows a list</think><answer>" + answer + "</answer>");
        assertThat(reply.thinking()).isEqualTo("the screen shows a list");
        assertThat(reply.answer()).isEqualTo(answer);
        assertThat(reply.action()).isEqualTo(expected);
        assertThat(EventJson.mapper().readValue(EventJson.write(expected), StepAction.class)).isEqualTo(expected);
    }

    @Test
    void aReplyWithoutTagsIsSplitAtItsCallAsOpenAutoGlmDoes() throws Exception {
        AgentReply reply = ActionGrammar.parse("I should open settings.\ndo(action=\"Launch\", app=\"Settings\")");
        assertThat(reply.thinking()).isEqualTo("I should open settings.");
        assertThat(reply.action()).isEqualTo(new StepAction.Launch("Settings"));

        AgentReply done = ActionGrammar.parse("<think>all done</think>\nfinish(message=\"ok\")");
        assertThat(done.thinking()).isEqualTo("all done");
        assertThat(done.action().ends()).isTrue();
    }

    @Test
    void anAnswerWhoseClosingTagWasCutOffStillReadsWhenTheCallIsWhole() throws Exception {
        assertThat(ActionGrammar.parse("<think>x</think><answer>do(action=\"Back\")").action()).isEqualTo(new StepAction.Back());
    }

    @Test
    void typedTextKeepsQuotesCommasNewlinesAndChinese() throws Exception {
        assertThat(text("do(action=\"Type\", text=\"He said \\\"hi\\\", then left\")")).isEqualTo("He said \"hi\", then left");
        // the models do not always escape: a quote closes the string only where the call can go on or end
        assertThat(text("do(action=\"Type\", text=\"He said \"hi\", then left\")")).isEqualTo("He said \"hi\", then left");
        assertThat(text("do(action=\"Type\", text=\"line one\\nline two\")")).isEqualTo("line one\nline two");
        assertThat(text("do(action=\"Type\", text=\"line one\nline two\")")).isEqualTo("line one\nline two");
        assertThat(text("do(action=\"Type\", text='单引号, \"双引号\"')")).isEqualTo("单引号, \"双引号\"");
        assertThat(text("do(action=\"Type\", text=\"北京市朝阳区，望京SOHO（T1）\")")).isEqualTo("北京市朝阳区，望京SOHO（T1）");
        assertThat(text("do(action=\"Type\", text=\"back\\\\slash and \\\\n kept\")")).isEqualTo("back\\slash and \\n kept");
        assertThat(text("do(action=\"Type\", text=\"\")")).isEmpty();
        assertThat(text("do(action=\"Type\", text=\"a), do(action=\")")).isEqualTo("a), do(action=");
        String tricky = "quote \" comma , paren ) newline \n tab \t 中文 \\ end";
        assertThat(text(ActionGrammar.format(new StepAction.Type(tricky, false)))).isEqualTo(tricky);
    }

    private static String text(String answer) throws UnparseableReplyException {
        return ((StepAction.Type) ActionGrammar.parseAction(answer)).text();
    }

    @Test
    void spacingAndATrailingCommaAreTolerated() throws Exception {
        assertThat(ActionGrammar.parseAction("do( action = \"Tap\" ,element = [ 10 , 20 ] , )"))
                .isEqualTo(new StepAction.Tap(at(10, 20), null));
    }

    static Stream<Arguments> badAnswers() {
        return Stream.of(
                Arguments.of("", "the reply is empty"),
                Arguments.of("I am not sure what to do", "no <answer> and no do(action=...) or finish(message=...)"),
                Arguments.of("<answer>tap the button</answer>", "the answer is not do(...) or finish(...)"),
                Arguments.of("do(action=\"Fly\", to=[1,2])", "unknown action 'Fly'"),
                Arguments.of("do(action=\"Tap\")", "Tap needs 'element'"),
                Arguments.of("do(action=\"Swipe\", start=[1,2])", "Swipe needs 'end'"),
                Arguments.of("do(action=\"Launch\")", "Launch needs 'app'"),
                Arguments.of("do(action=\"Launch\", app=\"\")", "Launch needs a non-empty 'app'"),
                Arguments.of("do(action=\"Back\", element=[1,2])", "Back takes no arguments, not 'element'"),
                Arguments.of("do(action=\"Tap\", element=[1,2], text=\"x\")", "Tap takes only element, message, not 'text'"),
                Arguments.of("do(action=\"Tap\", element=[1000,5])", "Tap's element [1000,5] is off the screen: coordinates are relative, 0-999"),
                Arguments.of("do(action=\"Tap\", element=[-1,5])", "off the screen"),
                Arguments.of("do(action=\"Tap\", element=[1,2,3])", "Tap's element must be [x,y]"),
                Arguments.of("do(action=\"Tap\", element=[1.5,2])", "Tap's element must be [x,y]"),
                Arguments.of("do(action=\"Tap\", element=\"500,300\")", "Tap's element must be [x,y]"),
                Arguments.of("do(action=\"Type\", text=42)", "Type's text must be a quoted string, got 42"),
                Arguments.of("do(action=\"Wait\", duration=\"a while\")", "Wait's duration must be \"<n> seconds\""),
                Arguments.of("do(action=\"Wait\", duration=\"3600 seconds\")", "Wait is at most 60 seconds"),
                Arguments.of("do(action=\"Tap\", element=[1,2]) do(action=\"Back\")", "there is text after the action"),
                Arguments.of("<answer>do(action=\"Back\")</answer> and then home", "there is text after </answer>"),
                Arguments.of("do(action=\"Tap\", element=[1,2]", "the answer ends before its ')'"),
                Arguments.of("do(action=\"Type\", text=\"never closed", "has a string that never ends"),
                Arguments.of("do(action=\"Tap\", element=[1,2], element=[3,4])", "argument 'element' is given twice"),
                Arguments.of("<answer>do(\"Tap\", element=[1,2])</answer>", "expected an argument name"),
                Arguments.of("<answer>do(element=[1,2])</answer>", "do(...) needs action=\"...\" first"),
                Arguments.of("<answer>finish()</answer>", "finish needs 'message'"),
                Arguments.of("finish(message=\"a\", extra=1)", "finish takes only message, not 'extra'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void aReplyThatIsNotOneActionIsATypedFailureSayingWhatIsWrong(String reply, String reason) {
        assertThatThrownBy(() -> ActionGrammar.parse(reply)).isInstanceOfSatisfying(UnparseableReplyException.class, failure -> {
            assertThat(failure.reason()).contains(reason);
            assertThat(failure.raw()).isEqualTo(reply);
        });
    }

    @Test
    void pointsMapToPixelsAsTheDeviceScalesThem() {
        assertThat(at(500, 500).pixelX(1080)).isEqualTo(540);
        assertThat(at(999, 999).pixelY(2400)).isEqualTo(2397);
        assertThat(at(0, 0).pixelX(1080)).isZero();
    }

    @Test
    void aTurnIsWrittenAsTheModelWritesIt() throws Exception {
        String turn = ActionGrammar.formatTurn("open it", new StepAction.Launch("Maps"));
        assertThat(turn).isEqualTo("<think>open it</think><answer>do(action=\"Launch\", app=\"Maps\")</answer>");
        assertThat(ActionGrammar.parse(turn).action()).isEqualTo(new StepAction.Launch("Maps"));
    }
}
