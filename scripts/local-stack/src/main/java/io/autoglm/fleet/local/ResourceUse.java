package io.autoglm.fleet.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What each process of the local stack costs: CPU time (its own and its children's, e.g. the broker's JVM under
 * {@code bin/pulsar}) over a measurement window, and its resident memory, now and the most seen. Sampled by the stack
 * every few seconds; a process started again counts under the same name. What users billed by usage pay for, per
 * process, and per device-minute for the whole stack.
 */
final class ResourceUse {

    /** One process's figures over the window. */
    record Usage(String name, double cpuSeconds, long rssBytes, long maxRssBytes) {
    }

    private static final class Totals {
        long cpuNanos;
        long rssBytes;
        long maxRssBytes;
    }

    private final Map<String, Totals> byName = new LinkedHashMap<>();
    private final Map<Long, Long> lastCpuNanos = new HashMap<>();
    private long windowStartNanos = System.nanoTime();

    /** Samples {@code root} and its descendants under {@code name}. */
    synchronized void sample(String name, ProcessHandle root) {
        sample(name, Stream.concat(Stream.of(root), root.descendants()));
    }

    /** Samples {@code process} alone under {@code name} (its children are sampled under names of their own). */
    synchronized void sampleAlone(String name, ProcessHandle process) {
        sample(name, Stream.of(process));
    }

    private void sample(String name, Stream<ProcessHandle> processes) {
        Totals totals = byName.computeIfAbsent(name, n -> new Totals());
        long rss = 0;
        for (ProcessHandle process : (Iterable<ProcessHandle>) processes::iterator) {
            if (!process.isAlive()) {
                continue;
            }
            long cpu = process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            Long last = lastCpuNanos.put(process.pid(), cpu);
            totals.cpuNanos += Math.max(0, cpu - (last == null ? 0 : last));
            rss += rssBytes(process.pid());
        }
        totals.rssBytes = rss;
        totals.maxRssBytes = Math.max(totals.maxRssBytes, rss);
    }

    /** The window starts now: CPU time and the largest RSS count from here (call after a sample of every process). */
    synchronized void startWindow() {
        byName.values().forEach(totals -> {
            totals.cpuNanos = 0;
            totals.maxRssBytes = totals.rssBytes;
        });
        windowStartNanos = System.nanoTime();
    }

    synchronized Duration window() {
        return Duration.ofNanos(System.nanoTime() - windowStartNanos);
    }

    synchronized List<Usage> usage() {
        List<Usage> all = new ArrayList<>();
        byName.forEach((name, totals) -> all.add(new Usage(name, totals.cpuNanos / 1e9, totals.rssBytes, totals.maxRssBytes)));
        return all;
    }

    /**
     * The table the stack prints at the end: per process its share of a core and RSS, then the whole stack's CPU-seconds
     * per device-minute with and without the simulator.
     *
     * @param simulation the processes of the simulation (the fleet simulator, the simulated agent model): the load
     *                   generator's cost, reported apart
     */
    List<String> report(int devices, java.util.Set<String> simulation) {
        Duration window = window();
        double seconds = Math.max(1e-3, window.toMillis() / 1000.0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Resources over the last %.0f s (CPU: share of one core; RSS now / most seen):", seconds));
        double stack = 0;
        double simulated = 0;
        for (Usage usage : usage()) {
            lines.add(String.format(Locale.ROOT, "  %-19s CPU %5.2f   RSS %4d / %4d MiB", usage.name(), usage.cpuSeconds() / seconds,
                    usage.rssBytes() >> 20, usage.maxRssBytes() >> 20));
            if (simulation.contains(usage.name())) {
                simulated += usage.cpuSeconds();
            } else {
                stack += usage.cpuSeconds();
            }
        }
        double deviceMinutes = devices * seconds / 60;
        lines.add(String.format(Locale.ROOT, "  the stack: %.2f cores = %.4f CPU-seconds per device-minute (%d devices); the simulation: %.2f cores",
                stack / seconds, deviceMinutes == 0 ? 0 : stack / deviceMinutes, devices, simulated / seconds));
        return lines;
    }

    /** VmRSS of {@code pid}, 0 when it is gone. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }
}
