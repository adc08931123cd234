package io.mhaserverless.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny server playing the EC2 instance metadata service as IMDSv2 answers: PUT /latest/api/token
 * (with a TTL header) gives a token, and GET .../network/interfaces/macs/MAC/local-ipv4s without a
 * valid token is 401. The addresses of the one interface it knows are read from a file on every
 * request, so a test changes them by rewriting it. Runs in-process, or as a process (main: port, MAC,
 * file) inside a test's network namespace.
 */
final class FakeImds implements AutoCloseable {

    private final HttpServer server;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();

    FakeImds(int port, String mac, Path ipv4s) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/latest/api/token", ex -> {
            if (!"PUT".equals(ex.getRequestMethod()) || ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") == null) {
                reply(ex, 400, "");
                return;
            }
            String token = UUID.randomUUID().toString();
            tokens.add(token);
            reply(ex, 200, token);
        });
        server.createContext("/latest/meta-data/network/interfaces/macs/", ex -> {
            if (!tokens.contains(String.valueOf(ex.getRequestHeaders().getFirst("X-aws-ec2-metadata-token")))) {
                reply(ex, 401, "");
                return;
            }
            if (!ex.getRequestURI().getPath().equals("/latest/meta-data/network/interfaces/macs/" + mac + "/local-ipv4s")) {
                reply(ex, 404, "");
                return;
            }
            reply(ex, 200, Files.readString(ipv4s).strip());
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static void main(String[] args) throws Exception {
        FakeImds imds = new FakeImds(Integer.parseInt(args[0]), args[1], Path.of(args[2]));
        System.out.println("ready " + imds.port());
        System.out.flush();
        Thread.sleep(Long.parseLong(args.length > 3 ? args[3] : "120000"));
        imds.close();
    }
}
