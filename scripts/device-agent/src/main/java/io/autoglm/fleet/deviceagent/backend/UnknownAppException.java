package io.autoglm.fleet.deviceagent.backend;

/** {@code Launch} named an app the backend's app table does not know, so it cannot be started. */
public final class UnknownAppException extends BackendException {

    private final String app;

    public UnknownAppException(String app) {
        super("App not found: " + app, null);
        this.app = app;
    }

    public String app() {
        return app;
    }
}
