package io.autoglm.fleet.modelstore.cli;

import io.autoglm.fleet.modelstore.ProgressListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows long copies and hashes on the terminal: one line per file and task, updated in 10% steps,
 * for files of 8 MB and more. Quiet mode and small files print nothing.
 */
final class ConsoleProgress implements ProgressListener {

    private static final long SHOW_FROM_BYTES = 8L << 20;

    private final PrintWriter err;
    private final boolean quiet;
    private String current = "";
    private int lastStep = -1;

    ConsoleProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void progress(String task, String file, long done, long total) {
        if (quiet || total < SHOW_FROM_BYTES) {
            return;
        }
        String key = task + " " + file;
        if (!key.equals(current)) {
            current = key;
            lastStep = -1;
        }
        int step = (int) (done * 10 / Math.max(1, total));
        if (step == lastStep) {
            return;
        }
        lastStep = step;
        err.printf(Locale.ROOT, "%-8s %-32s %3d%% (%.1f / %.1f MB)%n", task, file, step * 10, done / 1e6, total / 1e6);
        err.flush();
    }
}
