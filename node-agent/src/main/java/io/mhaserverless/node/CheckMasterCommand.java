package io.mhaserverless.node;

import io.mhaserverless.node.protocol.CheckMasterAnswer;
import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.Subcommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * MHA's secondary check from another host: can this host open a TCP connection to the master and
 * read the server's handshake greeting? An error packet instead of a greeting (too many
 * connections, host blocked) still means a live server.
 */
@Command(name = Subcommand.CHECK_MASTER,
        header = "Secondary check: does the master greet a TCP connection from this host?",
        mixinStandardHelpOptions = true,
        description = {"Secondary master check from this host: TCP connect to H:P and read the MySQL handshake greeting. A "
                        + "greeting, or an error packet (1040 too many connections, 1129 host blocked …), means the server is "
                        + "alive.",
                "JSON: {\"status\":\"ok\",\"reachable\":bool,\"detail\":\"…\"} (exit 0 either way)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":checked (see \"reachable\")", ExitCodes.ERROR + ":bad input (unknown host)",
                ExitCodes.USAGE + ":usage error"})
final class CheckMasterCommand extends AgentCommand {

    @Option(names = "--host", required = true, paramLabel = "H")
    String host;

    @Option(names = "--port", required = true, paramLabel = "P")
    int port;

    @Option(names = "--timeout-ms", defaultValue = "2000", paramLabel = "MS", description = "connect and read limit (default: ${DEFAULT-VALUE})")
    int timeoutMs;

    @Override
    Outcome execute() {
        if (port < 1 || port > 65535) {
            throw usage("--port must be 1..65535, was " + port);
        }
        if (timeoutMs < 1) {
            throw usage("--timeout-ms must be positive, was " + timeoutMs);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new AgentFailure("unknown host " + host);
        }
        boolean reachable;
        String detail;
        long t0 = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            detail = greeting(socket.getInputStream());
            reachable = true;
        } catch (SocketTimeoutException e) {
            reachable = false;
            detail = "no answer within " + timeoutMs + " ms (" + e.getMessage() + ")";
        } catch (IOException e) {
            reachable = false;
            detail = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log().accept(host + ":" + port + (reachable ? " answers: " : " does not answer: ") + detail + " (" + ms + " ms)");
        return Outcome.ok(new CheckMasterAnswer("ok", reachable, detail, ms).toJson());
    }

    /** Reads the first packet: protocol 10 greeting with the server version, or an error packet. */
    static String greeting(InputStream in) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new IOException("connection closed before the handshake");
        }
        int length = (head[0] & 0xff) | (head[1] & 0xff) << 8 | (head[2] & 0xff) << 16;
        byte[] payload = in.readNBytes(Math.min(length, 4096));
        if (payload.length == 0) {
            throw new IOException("empty handshake packet");
        }
        int first = payload[0] & 0xff;
        if (first == 0xff && payload.length >= 3) {
            int code = (payload[1] & 0xff) | (payload[2] & 0xff) << 8;
            int text = payload.length > 3 && payload[3] == '#' ? 9 : 3;
            String message = new String(payload, Math.min(text, payload.length), Math.max(0, payload.length - text), StandardCharsets.UTF_8);
            return "server answered with error " + code + ": " + message.strip();
        }
        if (first == 10) {
            int end = 1;
            while (end < payload.length && payload[end] != 0) {
                end++;
            }
            return "MySQL protocol 10 handshake, server " + new String(payload, 1, end - 1, StandardCharsets.UTF_8);
        }
        throw new IOException("not a MySQL handshake (first byte " + first + ")");
    }
}
