package io.autoglm.fleet.triggers.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An upgrade request written by hand on a plain socket: to read a refused handshake's problem body (the
 * JDK's client hides it), and to be a device that went dead after its handshake (it never answers a ping).
 */
final class RawUpgrade implements AutoCloseable {

    private final Socket socket;
    private final String answer;

    private RawUpgrade(Socket socket, String answer) {
        this.socket = socket;
        this.answer = answer;
    }

    /** Sends the upgrade with {@code headers} (besides the handshake's own) and reads the answer's head, and its body if refused. */
    static RawUpgrade open(int port, Map<String, String> headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        Map<String, String> all = new HashMap<>(headers);
        all.put("Host", "127.0.0.1");
        all.put("Upgrade", "websocket");
        all.put("Connection", "Upgrade");
        all.put("Sec-WebSocket-Version", "13");
        all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16).getBytes()));
        StringBuilder request = new StringBuilder("GET " + DeviceSocketRoute.PATH + " HTTP/1.1\r\n");
        all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        int read;
        while (!complete(answer) && (read = in.read(buffer)) > 0) {
            answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
        }
        return new RawUpgrade(socket, answer.toString());
    }

    private static boolean complete(StringBuilder answer) {
        String text = answer.toString();
        return text.startsWith("HTTP/1.1 101") ? text.contains("\r\n\r\n") : text.contains("}");
    }

    /** The status line, headers and (for a refusal) the problem body. */
    String answer() {
        return answer;
    }

    /** Whether the server has closed the connection, waiting up to the socket's timeout for it. */
    boolean closedByServer() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        try {
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
