package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceFailed;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.model.ModelVersionPromoted;
import io.autoglm.fleet.events.model.ModelVersionPublished;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.inference.serving.ColdStart;
import io.autoglm.fleet.inference.serving.InferenceService;
import io.autoglm.fleet.inference.serving.ServedModels;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * The inference function.
 *
 * <p>{@code io.autoglm.inference.requested} (the router's cloud placements) is answered with
 * {@code io.autoglm.inference.completed}; failures are answered by the outcome's meaning, so that the
 * trigger dispatcher does the right thing with them:
 * <table>
 * <tr><th>reason</th><th>HTTP answer</th><th>dispatcher</th></tr>
 * <tr><td>BAD_REQUEST, UNKNOWN_MODEL</td><td>400 problem (every problem, the reason)</td><td>no retry: dead letter</td></tr>
 * <tr><td>CAPACITY</td><td>429 problem, Retry-After</td><td>retry with back-off</td></tr>
 * <tr><td>NOT_READY</td><td>503 problem, Retry-After</td><td>retry with back-off</td></tr>
 * <tr><td>TIMEOUT, BACKEND_UNAVAILABLE, CREDENTIAL_REFUSED</td><td>200 {@code io.autoglm.inference.failed}</td><td>the reply goes to
 * the requester</td></tr>
 * <tr><td>INTERNAL</td><td>500 problem with an error id</td><td>retry</td></tr>
 * </table>
 * A timeout is answered as an event, not a status: the request was taken and may have run, retrying
 * it blindly doubles load exactly when the model is slow; the requester decides. So are a remote backend's
 * failures: its own retries are spent (or its credential refused), another round of them would not help.
 *
 * <p>{@code io.autoglm.model.version.promoted} and {@code .published} make the function re-read the
 * store and hot-swap the versions it serves (answered 204, the swap runs in the background).
 */
public class InferenceFunction {

    private static final java.util.Set<FailureReason> ANSWERED_AS_EVENTS = java.util.EnumSet.of(FailureReason.TIMEOUT,
            FailureReason.BACKEND_UNAVAILABLE, FailureReason.CREDENTIAL_REFUSED);

    @Inject
    InferenceService service;
    @Inject
    ServedModels models;
    @Inject
    ColdStart coldStart;
    @Inject
    InferenceWiring wiring;

    @Funq
    @CloudEventMapping(trigger = "io.autoglm.inference.requested")
    public Uni<CloudEvent<Object>> infer(CloudEvent<InferenceRequested> event) {
        InferenceRequested request = event.data();
        String tenant = Replies.tenant(event);
        String partitionKey = Replies.partitionKey(event);
        return Uni.createFrom().completionStage(() -> service.infer(request))
                .map(completed -> reply(EventType.INFERENCE_COMPLETED, completed, tenant, partitionKey))
                .onFailure(failure -> ANSWERED_AS_EVENTS.contains(InferenceFailure.of(failure).reason()))
                .recoverWithItem(failure -> {
                    InferenceFailure answered = InferenceFailure.of(failure);
                    return reply(EventType.INFERENCE_FAILED, new InferenceFailed(request.requestId(), request.model(),
                            answered.reason(), answered.getMessage(), answered.problems()), tenant, partitionKey);
                })
                .onFailure().transform(InferenceFailure::of);
    }

    @Funq
    @CloudEventMapping(trigger = "io.autoglm.model.version.promoted")
    public void promoted(ModelVersionPromoted promoted) {
        wiring.refreshLater(models, coldStart, promoted.model());
    }

    @Funq
    @CloudEventMapping(trigger = "io.autoglm.model.version.published")
    public void published(ModelVersionPublished published) {
        wiring.refreshLater(models, coldStart, published.model());
    }

    @SuppressWarnings("unchecked")
    private static <T> CloudEvent<Object> reply(EventType type, T payload, String tenant, String partitionKey) {
        return (CloudEvent<Object>) (CloudEvent<?>) Replies.reply(type, payload, tenant, partitionKey);
    }
}
