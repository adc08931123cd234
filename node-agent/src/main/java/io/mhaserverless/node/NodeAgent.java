package io.mhaserverless.node;

import io.mhaserverless.node.protocol.OwnedTempFiles;

/**
 * {@code mha-node-agent}: the CLI that SSM Run Command (or the local runtime) starts on a MySQL
 * host. Every subcommand prints exactly one JSON object on stdout and its progress on stderr.
 *
 * <p>Only the entry point: the java launcher resolves every type in this class's method signatures
 * before main runs, so none of them is picocli's ({@link AgentCommandLine} has the command line).
 */
public final class NodeAgent {

    private NodeAgent() {
    }

    public static void main(String[] args) {
        sweepLeftovers();
        // the hot subcommands with plain arguments start without picocli (QuickStart); everything else goes through it
        int exit = QuickStart.run(args, QuickStart.writer(System.out, "sun.stdout.encoding"),
                QuickStart.writer(System.err, "sun.stderr.encoding"));
        System.exit(exit != QuickStart.NOT_HANDLED ? exit : AgentCommandLine.execute(args));
    }

    /** What an agent killed mid-way left (an option file in /dev/shm, a merged diff): gone before this run adds its own. */
    static void sweepLeftovers() {
        OwnedTempFiles.sweep(OwnedTempFiles.secretDirectory());
        OwnedTempFiles.sweep(OwnedTempFiles.defaultDirectory());
    }
}
