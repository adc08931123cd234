package io.mhaserverless.local.adapter;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.port.WriterIp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local stand-in for the writer IP: a TCP forwarder on a fixed loopback port that always leads
 * to the current master. Releasing it from the old master cuts every open connection and refuses
 * new ones until a new master is assigned, as moving an ENI address would.
 */
public final class LocalWriterEndpoint implements WriterIp, AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress target;
    private volatile String targetName = "nobody";

    public LocalWriterEndpoint(int port) {
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "writer-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    @Override
    public synchronized void release(ServerConfig oldMaster) {
        if (targetName.equals(oldMaster.name())) {
            target = null;
            targetName = "nobody";
            for (Socket s : open) {
                closeQuietly(s);
            }
        }
    }

    @Override
    public synchronized void assign(ServerConfig newMaster) {
        target = new InetSocketAddress(newMaster.host(), newMaster.port());
        targetName = newMaster.name();
    }

    @Override
    public String describe() {
        return "local endpoint " + address() + " -> " + targetName;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            InetSocketAddress to = target;
            if (to == null) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(to, 2000);
                open.add(client);
                open.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side went away; closing both below ends the other direction too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "writer-endpoint-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(LocalWriterEndpoint::closeQuietly);
    }
}
