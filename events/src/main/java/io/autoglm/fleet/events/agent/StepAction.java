package io.autoglm.fleet.events.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a phone agent, as the model answers it ({@code do(action="Tap", element=[500,300])},
 * {@code finish(message="...")}): the closed set of actions Open-AutoGLM's models emit, each with its
 * arguments typed. {@link ActionGrammar} reads and writes them; {@link #name()} is the name the model uses.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StepAction.Launch.class, name = "Launch"),
        @JsonSubTypes.Type(value = StepAction.Tap.class, name = "Tap"),
        @JsonSubTypes.Type(value = StepAction.Type.class, name = "Type"),
        @JsonSubTypes.Type(value = StepAction.Interact.class, name = "Interact"),
        @JsonSubTypes.Type(value = StepAction.Swipe.class, name = "Swipe"),
        @JsonSubTypes.Type(value = StepAction.Note.class, name = "Note"),
        @JsonSubTypes.Type(value = StepAction.CallApi.class, name = "Call_API"),
        @JsonSubTypes.Type(value = StepAction.LongPress.class, name = "Long Press"),
        @JsonSubTypes.Type(value = StepAction.DoubleTap.class, name = "Double Tap"),
        @JsonSubTypes.Type(value = StepAction.TakeOver.class, name = "Take_over"),
        @JsonSubTypes.Type(value = StepAction.Back.class, name = "Back"),
        @JsonSubTypes.Type(value = StepAction.Home.class, name = "Home"),
        @JsonSubTypes.Type(value = StepAction.Wait.class, name = "Wait"),
        @JsonSubTypes.Type(value = StepAction.Finish.class, name = "finish")})
public sealed interface StepAction {

    /** The action's name as the model writes it ({@code "Long Press"}), or {@code "finish"}. */
    String name();

    /** Whether the task ends with this step. */
    default boolean ends() {
        return false;
    }

    /** Opens an app by its name as the model knows it ({@code "微信"}, {@code "Settings"}). */
    record Launch(String app) implements StepAction {
        public Launch {
            requireText(app, "Launch", "app");
        }

        @Override
        public String name() {
            return "Launch";
        }
    }

    /** A tap; with a {@code sensitiveMessage} the model marks it as needing a person's confirmation (a payment, say). */
    record Tap(RelativePoint element, String sensitiveMessage) implements StepAction {
        public Tap {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String name() {
            return "Tap";
        }
    }

    /** Types {@code text} into the focused field ({@code Type_Name}: the text is a person's name). */
    record Type(String text, boolean personName) implements StepAction {
        public Type {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String name() {
            return personName ? "Type_Name" : "Type";
        }
    }

    /** The model needs the user to choose (several matching options). */
    record Interact() implements StepAction {
        @Override
        public String name() {
            return "Interact";
        }
    }

    record Swipe(RelativePoint start, RelativePoint end) implements StepAction {
        public Swipe {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }

        @Override
        public String name() {
            return "Swipe";
        }
    }

    /** Records what is on the screen for later steps; nothing is done on the device. */
    record Note(String message) implements StepAction {
        public Note {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String name() {
            return "Note";
        }
    }

    /** Asks for a summary or other model work over what was noted; nothing is done on the device. */
    record CallApi(String instruction) implements StepAction {
        public CallApi {
            requireText(instruction, "Call_API", "instruction");
        }

        @Override
        public String name() {
            return "Call_API";
        }
    }

    record LongPress(RelativePoint element) implements StepAction {
        public LongPress {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String name() {
            return "Long Press";
        }
    }

    record DoubleTap(RelativePoint element) implements StepAction {
        public DoubleTap {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String name() {
            return "Double Tap";
        }
    }

    /** A person must act on the device (a login, a captcha) before the agent goes on. */
    record TakeOver(String message) implements StepAction {
        public TakeOver {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String name() {
            return "Take_over";
        }
    }

    record Back() implements StepAction {
        @Override
        public String name() {
            return "Back";
        }
    }

    record Home() implements StepAction {
        @Override
        public String name() {
            return "Home";
        }
    }

    /** Waits for the screen to settle (a page loading), at most {@link ActionGrammar#MAX_WAIT}. */
    record Wait(Duration duration) implements StepAction {
        public Wait {
            if (duration == null || duration.isNegative() || duration.compareTo(ActionGrammar.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("Wait is 0 to " + ActionGrammar.MAX_WAIT.toSeconds() + " seconds, got " + duration);
            }
        }

        @Override
        public String name() {
            return "Wait";
        }
    }

    /** The task is over; {@code message} says how it went. */
    record Finish(String message) implements StepAction {
        public Finish {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String name() {
            return "finish";
        }

        @Override
        public boolean ends() {
            return true;
        }
    }

    private static void requireText(String value, String action, String argument) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(action + " needs a non-empty '" + argument + "'");
        }
    }
}
