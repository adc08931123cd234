package io.mhaserverless.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One mariadb-install-db per JVM; every server then starts from a copy. Copying 34 MB takes a
 * fraction of the second that a fresh install costs, which is what makes a topology per test cheap.
 */
final class DataDirTemplate {

    private static volatile Path template;

    private DataDirTemplate() {
    }

    static synchronized Path get(MariaDbInstallation mariadb) {
        if (template == null) {
            template = create(mariadb, ProcessRegistry.get().jvmDirectory().resolve("template"));
        }
        return template;
    }

    private static Path create(MariaDbInstallation mariadb, Path dir) {
        try {
            ProcessRegistry.deleteTree(dir);
            Files.createDirectories(dir);
            Path initSql = dir.resolveSibling("bootstrap.sql");
            Files.writeString(initSql, SandboxCredentials.bootstrapSql());
            Path log = dir.resolveSibling("install-db.log");
            // Its own tmpdir: two JVMs bootstrapping at once in /tmp collide on MariaDB's temporary table files.
            Path tmp = Files.createDirectories(dir.resolveSibling("install-tmp"));
            List<String> cmd = new java.util.ArrayList<>(List.of(mariadb.installDb().toString(),
                    "--no-defaults", "--datadir=" + dir, "--skip-test-db",
                    "--auth-root-authentication-method=normal", "--skip-name-resolve",
                    "--innodb-log-file-size=16M", "--innodb-buffer-pool-size=32M",
                    "--tmpdir=" + tmp, "--extra-file=" + initSql));
            if (ServerNode.RUNNING_AS_ROOT) {
                cmd.add("--user=root");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("mariadb-install-db did not finish in 120 s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("mariadb-install-db failed (exit " + p.exitValue() + "): "
                        + Files.readString(log));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the datadir template in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the datadir template", e);
        }
    }

    static void copyTo(Path source, Path target) {
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(target.resolve(source.relativize(dir)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, target.resolve(source.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
    }
}
