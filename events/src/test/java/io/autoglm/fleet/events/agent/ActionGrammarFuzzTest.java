package io.autoglm.fleet.events.agent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** No input makes the parser throw anything but {@link UnparseableReplyException}. */
class ActionGrammarFuzzTest {

    private static final List<String> SEEDS = List.of(
            "<think>look</think><answer>do(action=\"Tap\", element=[500,300])</answer>",
            "do(action=\"Type\", text=\"He said \"hi\", ok\")",
            "do(action=\"Swipe\", start=[1,2], end=[3,4])",
            "finish(message=\"完成\")",
            "do(action=\"Wait\", duration=\"2 seconds\")",
            "do(action=\"Tap\", element=[120, 940], message=\"pay\")");
    private static final String ALPHABET = "do(action=\"Tap\", element=[0,999])finish(message='x')<think></think><answer></answer>\\\n \t,=[]()\"'-+.0123456789中文";

    @Test
    void mutatedRepliesParseOrFailWithTheTypedFailure() {
        SplittableRandom random = new SplittableRandom(20261203);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 50_000; i++) {
            String input = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            try {
                ActionGrammar.parse(input);
                parsed++;
            } catch (UnparseableReplyException expected) {
                assertThat(expected.reason()).isNotBlank();
                refused++;
            } catch (RuntimeException bug) {
                throw new AssertionError("the parser threw " + bug + " on: " + input, bug);
            }
        }
        assertThat(parsed).as("some mutations are still actions").isPositive();
        assertThat(refused).as("most are not").isGreaterThan(parsed);
    }

    @Test
    void randomTextFailsWithTheTypedFailure() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder input = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                input.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            try {
                ActionGrammar.parse(input.toString());
            } catch (UnparseableReplyException expected) {
                assertThat(expected.raw()).isEqualTo(input.toString());
            } catch (RuntimeException bug) {
                throw new AssertionError("the parser threw " + bug + " on: " + input, bug);
            }
        }
    }

    private static String mutate(String seed, SplittableRandom random) {
        StringBuilder text = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && text.length() > 0; i++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(4)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }
}
