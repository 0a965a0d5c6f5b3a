package io.autoglm.fleet.local;

import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A stand-in service for {@link SupervisorIT}: answers {@code /q/health/ready} on loopback, on the port it is given, until killed. */
public final class ReadyChild {

    private ReadyChild() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println("ready-child listening on " + args[0] + " as pid " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}
