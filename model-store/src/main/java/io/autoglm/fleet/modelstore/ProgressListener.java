package io.autoglm.fleet.modelstore;

/**
 * Told how far a long copy or hash has got, so a command-line tool can show progress on models of
 * gigabytes. Called from the thread doing the work; implementations keep it cheap.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (task, file, done, total) -> { };

    /**
     * @param task  what is being done: {@code hash}, {@code copy}, {@code upload}, {@code download}, {@code verify}
     * @param file  the file's path inside the version
     * @param done  bytes processed so far
     * @param total the file's size in bytes
     */
    void progress(String task, String file, long done, long total);
}
