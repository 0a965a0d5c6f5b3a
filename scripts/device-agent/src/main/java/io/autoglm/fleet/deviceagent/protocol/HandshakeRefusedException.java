package io.autoglm.fleet.deviceagent.protocol;

/** The gateway answered the WebSocket upgrade with an HTTP status instead of switching protocols. */
public final class HandshakeRefusedException extends RuntimeException {

    private final int status;

    public HandshakeRefusedException(int status, String body) {
        super("the gateway refused the connection: HTTP " + status + (body == null || body.isBlank() ? "" : " " + body.strip()));
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 401 / 403: the token was not accepted. */
    public boolean unauthorised() {
        return status == 401 || status == 403;
    }
}
