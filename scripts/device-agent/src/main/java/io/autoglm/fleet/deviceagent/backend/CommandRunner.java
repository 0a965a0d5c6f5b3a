package io.autoglm.fleet.deviceagent.backend;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs one device tool invocation ({@code adb ...}, {@code hdc ...}) as a child process: no stdin, stdout
 * kept as bytes (a screenshot), stderr as text, the exit code, a timeout after which the process tree is
 * killed. Backends never start processes any other way, so tests drive this same runner against fake tools.
 */
public final class CommandRunner {

    private final Map<String, String> environment;
    private final Path workingDirectory;

    /** A runner that inherits this process's environment and working directory. */
    public CommandRunner() {
        this(Map.of(), null);
    }

    /**
     * @param environment      variables set (or replaced) in the child's environment, e.g. {@code PATH}
     * @param workingDirectory the child's working directory, or null for this process's
     */
    public CommandRunner(Map<String, String> environment, Path workingDirectory) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.workingDirectory = workingDirectory;
    }

    /**
     * Runs {@code command} to its end or until {@code timeout}.
     *
     * @throws DeviceUnreachableException the tool could not be started or did not finish in time
     * @throws InterruptedException       this thread was interrupted; the child is killed
     */
    public CommandResult run(List<String> command, Duration timeout) throws DeviceUnreachableException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        List<String> argv = List.copyOf(command);
        List<String> resolved = new ArrayList<>(argv);
        resolved.set(0, resolve(argv.get(0)));
        ProcessBuilder builder = new ProcessBuilder(resolved)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DeviceUnreachableException(argv, "cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        StreamDrain stdout = new StreamDrain(process.getInputStream(), "stdout of " + argv.get(0));
        StreamDrain stderr = new StreamDrain(process.getErrorStream(), "stderr of " + argv.get(0));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new DeviceUnreachableException(argv, "no answer within " + timeout.toMillis() + " ms", null);
            }
            return new CommandResult(argv, process.exitValue(), stdout.bytes(), stderr.text());
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    /**
     * The executable as found on the child's {@code PATH}: the JDK searches the parent's, so a {@code PATH}
     * given to this runner would otherwise not count. A name with a slash, or one not found, is left as is.
     */
    private String resolve(String executable) {
        if (executable.contains("/")) {
            return executable;
        }
        String path = environment.getOrDefault("PATH", System.getenv("PATH"));
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                Path candidate = Path.of(entry.isEmpty() ? "." : entry, executable);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return executable;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads a child's stream on its own thread so a full pipe never blocks the child. */
    private static final class StreamDrain {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;
        private volatile IOException failure;

        StreamDrain(InputStream in, String name) {
            thread = new Thread(() -> {
                try (in) {
                    in.transferTo(buffer);
                } catch (IOException e) {
                    failure = e;
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        byte[] bytes() throws InterruptedException {
            thread.join();
            if (failure != null) {
                throw new UncheckedIOException(failure);
            }
            return buffer.toByteArray();
        }

        String text() throws InterruptedException {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }
}
