package io.mhaserverless.testbed;

/**
 * Run in a child JVM by {@link ProcessRegistryTest}: starts a sandbox, prints its server pids and
 * waits to be killed with SIGKILL, so that its shutdown hook never runs.
 */
public final class OrphanMaker {

    public static void main(String[] args) throws Exception {
        Sandbox sandbox = Sandbox.start(SandboxSpec.of(1, ReplicationMode.GTID));
        System.out.println("pids " + sandbox.master().pid() + " " + sandbox.replicas().get(0).pid());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
