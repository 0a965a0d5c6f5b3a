package io.autoglm.fleet.local;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A process that exits when the test says so, with the status it says. */
final class FakeProcess extends Process {

    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private volatile int status = -1;

    /** Ends it with {@code exitStatus}; whoever waits on {@link #onExit()} is told in this thread. */
    void exit(int exitStatus) {
        status = exitStatus;
        exit.complete(this);
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("still running");
        }
        return status;
    }

    @Override
    public int waitFor() {
        return exit.join().exitValue();
    }

    @Override
    public void destroy() {
        exit(143);
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }
}
