package io.autoglm.fleet.triggers.gateway;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * What the gateway needs of Quarkus's HTTP server: the {@value DeviceSocketRoute#SUBPROTOCOL} subprotocol
 * (so the handshake answers with it), frames and messages up to {@code autoglm.gateway.max-frame-size},
 * no WebSocket compression (a deflate context per socket would cost more memory than the socket itself),
 * and on the HTTPS port the tenants' CAs as the trust for client certificates, requested, not required
 * (devices with a token connect without one).
 */
@Singleton
public class GatewayServerOptions implements HttpServerOptionsCustomizer {

    private final GatewaySettings settings;

    GatewayServerOptions(GatewaySettings settings) {
        this.settings = settings;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        sockets(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        sockets(options);
        if (!settings.tenantCa().isEmpty()) {
            PemTrustOptions trust = new PemTrustOptions();
            for (Path ca : settings.tenantCa().values()) {
                trust.addCertPath(ca.toAbsolutePath().toString());
            }
            options.setTrustOptions(trust);
            options.setClientAuth(ClientAuth.REQUEST);
        }
    }

    private void sockets(HttpServerOptions options) {
        int max = (int) Math.min(Integer.MAX_VALUE, settings.maxFrameSize().asLongValue());
        options.addWebSocketSubProtocol(DeviceSocketRoute.SUBPROTOCOL)
                .setMaxWebSocketFrameSize(max)
                .setMaxWebSocketMessageSize(max)
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false);
    }
}
