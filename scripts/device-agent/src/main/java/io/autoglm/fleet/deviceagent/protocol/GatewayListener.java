package io.autoglm.fleet.deviceagent.protocol;

/** What happens on a socket: a whole text frame arrived, the gateway closed it, or it broke. */
public interface GatewayListener {

    void onFrame(String frame);

    /** The gateway closed the socket with {@code code} (1000 normal, 1001 going away, 1008 policy, ...). */
    void onClosed(int code, String reason);

    /** The socket broke without a close (network gone, protocol error). */
    void onBroken(Throwable cause);
}
