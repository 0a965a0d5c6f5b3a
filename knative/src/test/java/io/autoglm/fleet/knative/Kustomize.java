package io.autoglm.fleet.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize}, the way {@code kubectl apply -k} would. */
final class Kustomize {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** Why rendering cannot run here (no kubectl on the PATH), or empty when it can. */
    static Optional<String> unavailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Optional.empty();
            }
        }
        return Optional.of("kubectl is not on the PATH, so the kustomize overlays cannot be rendered here: "
                + "install the kubectl client (no cluster needed) to run these checks");
    }

    /** The rendered text. */
    static String render(Path kustomization) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + kustomization + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The objects of {@code kustomization}, rendered once per run; the calling test is skipped, saying why, where kubectl is missing. */
    static List<JsonNode> renderedOrSkip(Path kustomization) {
        Optional<String> unavailable = unavailable();
        Assumptions.assumeTrue(unavailable.isEmpty(), unavailable.orElse(""));
        return RENDERED.computeIfAbsent(kustomization, path -> objects(render(path)));
    }

    /** The objects of one {@code kind}. */
    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    /** The rendered objects. */
    static List<JsonNode> objects(String rendered) {
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(rendered)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && node.isObject()) {
                    objects.add(node);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }
}
