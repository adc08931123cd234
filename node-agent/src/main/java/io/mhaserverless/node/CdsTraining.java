package io.mhaserverless.node;

import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.OwnedTempFiles;
import io.mhaserverless.node.protocol.Subcommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of the agent's class-data archive: runs the calls a failover waits for the way
 * {@link NodeAgent#main} does, on local stand-ins, so that
 * {@code java -XX:ArchiveClassesAtExit=mha-node-agent.jsa -cp mha-node-agent.jar io.mhaserverless.node.CdsTraining}
 * archives the classes they load. check-master talks to a socket on the loopback that answers
 * with a handshake greeting; save-binlog reads a small binlog of a real MariaDB server (a table,
 * two inserts, an update) shipped in the jar. Needs no server, no network, writes only in a
 * temporary directory that it removes. Exit 1 when a call does not answer as expected, so a
 * build never ships an archive of a training that did not run.
 */
public final class CdsTraining {

    private static final String BINLOG = "mysql-bin.000001";

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        NodeAgent.sweepLeftovers();
        PrintWriter sink = QuickStart.writer(OutputStream.nullOutputStream(), "sun.stdout.encoding");
        Path dir = OwnedTempFiles.createDirectory(OwnedTempFiles.defaultDirectory(), "cds-training");
        try (ServerSocket greeter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(new Greeter(greeter), "cds-training-greeter");
            server.setDaemon(true);
            server.start();
            Path binlog = dir.resolve(BINLOG);
            try (InputStream in = CdsTraining.class.getResourceAsStream("cds/" + BINLOG)) {
                if (in == null) {
                    throw new IllegalStateException("cds/" + BINLOG + " is not in the jar");
                }
                Files.copy(in, binlog);
            }
            long end = Files.size(binlog);
            String host = InetAddress.getLoopbackAddress().getHostAddress();
            String out = dir.resolve("saved.binlog").toString();
            expect(ExitCodes.OK, sink, Subcommand.CHECK_MASTER, "--host", host, "--port", String.valueOf(greeter.getLocalPort()));
            expect(ExitCodes.NOTHING_NEWER, sink, Subcommand.SAVE_BINLOG, "--binlog-dir", dir.toString(), "--from", BINLOG + ":" + end, "--out", out);
            expect(ExitCodes.OK, sink, Subcommand.SAVE_BINLOG, "--binlog-dir", dir.toString(), "--from", BINLOG + ":4", "--out", out);
            expect(ExitCodes.OK, sink, Subcommand.SAVE_BINLOG, "--binlog-dir", dir.toString(), "--from", BINLOG + ":4", "--check");
            expect(ExitCodes.ERROR, sink, Subcommand.SAVE_BINLOG, "--binlog-dir", dir.resolve("missing").toString(), "--from", BINLOG + ":4",
                    "--out", out);
        } finally {
            OwnedTempFiles.deleteTree(dir);
        }
        // From JDK 21 on, System.exit asks this logger whether to log the exit; the agent exits that way
        // after every answer, and the logger's bootstrap is some 80 classes that only a run touching it archives.
        System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG);
        System.out.println("mha-node-agent class-data training: check-master and save-binlog ran");
    }

    private static void expect(int exit, PrintWriter sink, String... args) {
        int got = QuickStart.run(args, sink, sink);
        if (got != exit) {
            throw new IllegalStateException(String.join(" ", args) + " exited " + got + ", expected " + exit);
        }
    }

    /** Answers every connection with a MySQL protocol-10 greeting (what check-master reads). */
    private record Greeter(ServerSocket socket) implements Runnable {
        @Override
        public void run() {
            byte[] version = "10.11.0-MariaDB-cds-training".getBytes(StandardCharsets.US_ASCII);
            byte[] packet = new byte[4 + 1 + version.length + 1];
            int length = packet.length - 4;
            packet[0] = (byte) length;
            packet[4] = 10;
            System.arraycopy(version, 0, packet, 5, version.length);
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.getOutputStream().write(packet);
                } catch (IOException closed) {
                    return;
                }
            }
        }
    }
}
