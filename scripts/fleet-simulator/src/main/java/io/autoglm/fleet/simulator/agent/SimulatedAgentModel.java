package io.autoglm.fleet.simulator.agent;

import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentReply;
import io.autoglm.fleet.events.agent.UnparseableReplyException;
import io.autoglm.fleet.simulator.phone.Screen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A simulation of an AutoGLM phone-agent model, named {@value #NAME}: it reads the instruction and the
 * screen (the simulated screenshot's description), plans the next step on the simulated apps with a
 * {@link Goal}, and answers in the exact AutoGLM grammar ({@code <think>...</think><answer>do(...)</answer>}).
 * A share of its replies ({@code badReplyRate}) is deliberately bad, as a real model's sometimes are
 * (prose without an action, pixel coordinates off the 0-999 screen, an action cut short, an action
 * that does not exist), so the stack's retry path runs. Thread-safe; deterministic for a seed and an order of calls.
 */
public final class SimulatedAgentModel {

    /** The served model's name: a simulation, not a real model. */
    public static final String NAME = "autoglm-sim";

    private final double badReplyRate;
    private final Random random;

    public SimulatedAgentModel(double badReplyRate, long seed) {
        if (badReplyRate < 0 || badReplyRate > 1) {
            throw new IllegalArgumentException("the share of bad replies is 0 to 1, got " + badReplyRate);
        }
        this.badReplyRate = badReplyRate;
        this.random = new Random(seed);
    }

    /** The next move toward {@code instruction} from {@code screen}, given the task's earlier replies (raw, oldest first). */
    public static Move plan(String instruction, List<String> earlierReplies, Screen screen) {
        List<AgentReply> earlier = new ArrayList<>();
        for (String reply : earlierReplies) {
            try {
                earlier.add(ActionGrammar.parse(reply));
            } catch (UnparseableReplyException e) {
                // a bad reply of its own (or a truncated history entry): nothing was done with it
            }
        }
        return Goal.of(instruction).next(screen, earlier);
    }

    /** The reply's text, as the model writes it: mostly the planned move, now and then a bad one. */
    public String reply(String instruction, List<String> earlierReplies, Screen screen) {
        Move move = plan(instruction, earlierReplies, screen);
        int bad;
        synchronized (random) {
            bad = random.nextDouble() < badReplyRate ? random.nextInt(4) : -1;
        }
        return switch (bad) {
            case 0 -> "I think I should " + move.thinking().toLowerCase().replaceAll("[.:]+$", "") + " next.";
            case 1 -> "<think>" + move.thinking() + "</think><answer>do(action=\"Tap\", element=[1080,2340])</answer>";
            case 2 -> {
                String whole = ActionGrammar.formatTurn(move.thinking(), move.action());
                yield whole.substring(0, whole.indexOf("<answer>") + "<answer>".length() + 12);
            }
            case 3 -> "<think>" + move.thinking() + "</think><answer>do(action=\"Click\", element=[500,500])</answer>";
            default -> ActionGrammar.formatTurn(move.thinking(), move.action());
        };
    }
}
