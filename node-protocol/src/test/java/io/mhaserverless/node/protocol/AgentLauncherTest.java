package io.mhaserverless.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher with /bin/sh standing in for the agent. */
class AgentLauncherTest {

    private static AgentLauncher sh(Path dir, String script, Duration limit) {
        return new AgentLauncher(List.of("/bin/sh", "-c", script, "agent"), dir, limit);
    }

    @Test
    void credentialsArriveInTheEnvironmentOnlyAndNothingIsLeftAfterwards(@TempDir Path dir) throws Exception {
        // prints its arguments and the two variables; no file may name the password
        String script = "echo \"$@\"; echo \"$MHA_USER:$MHA_PASSWORD\"; echo \"$1\" >&2; exit 10";
        AgentLauncher.Exit exit = sh(dir, script, Duration.ofSeconds(20))
                .run(AgentCall.applyDiff("h", 1, Optional.empty(), Optional.of("/b"), Optional.empty(), 5),
                        Optional.of(new AgentCredentials("app", "s3cret")));
        assertThat(exit.timedOut()).isFalse();
        assertThat(exit.code()).isEqualTo(10);
        String[] lines = exit.stdout().split("\n");
        assertThat(lines[0]).doesNotContain("s3cret").doesNotContain("--credentials-file");
        assertThat(lines[1]).isEqualTo("app:s3cret");
        assertThat(exit.stderr().strip()).isEqualTo("apply-diff");
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void whatAKilledRunLeftInTheWorkDirectoryIsSweptByTheNext(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path left = Files.writeString(dir.resolve("mha-agent-out." + gone.pid() + ".123.json"), "{}");
        Path mine = OwnedTempFiles.createFile(dir, "agent-out", ".json");
        sh(dir, "true", Duration.ofSeconds(20)).run(List.of("check-master"), Optional.empty());
        assertThat(left).doesNotExist();
        assertThat(mine).as("a live owner's file stays").exists();
    }

    @Test
    void aCallWithoutCredentialsGetsNone(@TempDir Path dir) throws Exception {
        AgentLauncher.Exit exit = sh(dir, "echo \"$@\"", Duration.ofSeconds(20))
                .run(AgentCall.checkMaster("db1", 3306), Optional.of(new AgentCredentials("app", "s3cret")));
        assertThat(exit.stdout().strip()).isEqualTo("check-master --host db1 --port 3306");
    }

    @Test
    void aHungAgentAndItsChildrenAreKilledAtTheLimit(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("child.pid");
        AgentLauncher.Exit exit = sh(dir, "sleep 60 & echo $! > " + pid + "; wait", Duration.ofMillis(1500))
                .run(List.of("save-binlog"), Optional.empty());
        assertThat(exit.timedOut()).isTrue();
        long child = Long.parseLong(Files.readString(pid).strip());
        // killed, it may still be listed until its new parent reaps it
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void theCredentialsFileIsPrivateAndReadsBack(@TempDir Path dir) throws Exception {
        AgentCredentials c = new AgentCredentials("app", "s3cret");
        Path f = c.writeFile(dir);
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(AgentCredentials.readFile(f)).isEqualTo(c);
    }

    @Test
    void theClassDataArchiveBesideTheJarIsNamedOnlyWhenItExists(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("mha-node-agent.jar"), "");
        List<String> without = AgentLauncher.startFlags(jar.toString());
        assertThat(without).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:all=warning:stderr",
                        AgentLauncher.NATIVE_REFLECTION)
                .noneMatch(f -> f.startsWith("-XX:SharedArchiveFile")).doesNotContain("-Xshare:auto");

        Path archive = Files.writeString(dir.resolve(AgentLauncher.ARCHIVE), "");
        assertThat(AgentLauncher.startFlags(jar.toString())).endsWith("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        // a class path of directories or several entries (a development run) has no archive of its own
        assertThat(AgentLauncher.startFlags(dir + java.io.File.pathSeparator + jar)).noneMatch(f -> f.startsWith("-XX:SharedArchiveFile"));
        assertThat(AgentLauncher.startFlags(dir.toString())).noneMatch(f -> f.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void onJdk25TheAotCacheBesideTheJarTakesThePlaceOfTheArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("mha-node-agent.jar"), "");
        Path archive = Files.writeString(dir.resolve(AgentLauncher.ARCHIVE), "");
        assertThat(AgentLauncher.startFlags(jar.toString(), 25, Optional.empty())).noneMatch(f -> f.startsWith("-XX:AOTCache"))
                .endsWith("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");

        Path cache = Files.writeString(dir.resolve(AgentLauncher.AOT_CACHE), "");
        assertThat(AgentLauncher.startFlags(jar.toString(), 25, Optional.empty())).endsWith("-XX:AOTCache=" + cache)
                .noneMatch(f -> f.startsWith("-XX:SharedArchiveFile"));
        // a JDK before 25 does not know the option: it keeps the archive
        assertThat(AgentLauncher.startFlags(jar.toString(), 21, Optional.empty())).noneMatch(f -> f.startsWith("-XX:AOTCache"))
                .endsWith("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
    }

    @Test
    void anArchiveKeptElsewhereIsNamedForTheAgentsOwnJarOnly(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("mha-node-agent.jar"), "");
        Path archive = Files.writeString(dir.resolve("agent-java17-123.jsa"), "");
        Path cache = Files.writeString(dir.resolve("agent-java25-123.aot"), "");
        assertThat(AgentLauncher.startFlags(jar.toString(), 17, Optional.of(archive))).endsWith("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        assertThat(AgentLauncher.startFlags(jar.toString(), 25, Optional.of(cache))).endsWith("-XX:AOTCache=" + cache);
        assertThat(AgentLauncher.startFlags(jar.toString(), 21, Optional.of(cache))).noneMatch(f -> f.startsWith("-XX:AOTCache"));
        assertThat(AgentLauncher.startFlags(dir.toString(), 17, Optional.of(archive))).as("a class path of directories")
                .noneMatch(f -> f.startsWith("-XX:SharedArchiveFile"));
    }
}
