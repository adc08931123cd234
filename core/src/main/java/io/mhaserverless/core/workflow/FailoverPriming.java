package io.mhaserverless.core.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads the failover path before a failover needs it. A controller that has watched for months
 * ({@code mha manager}) or was restored from a snapshot (the Lambda, SnapStart) runs its one failover
 * in a JVM that never ran one: the first failover of a JVM loaded ~720 classes between the death
 * and the new master taking writes (our steps and their records, Jackson's (de)serializers of the
 * workflow document, the reflection and method-handle classes behind them) and took 0.4–0.8 s
 * longer than the next (docs/performance.md, target 1). Priming loads and initialises the failover
 * classes, has Jackson build the workflow document's deserializers, parses a config and loads the
 * JDBC driver. It touches no server, reads no config file or secret, and keeps nothing.
 */
public final class FailoverPriming {

    /** A config that passes every check, with no real host, account or secret in it. */
    public static final String SAMPLE_CONFIG = """
            cluster: priming
            user: priming
            password: not-a-password
            replicationUser: priming
            replicationPassword: not-a-password
            servers:
              - name: db1
                host: 192.0.2.1
                instanceId: i-00000000000000001
              - name: db2
                host: 192.0.2.2
                instanceId: i-00000000000000002
            writerIp: { mode: eni, address: 192.0.2.50 }
            """;

    /**
     * A document with the parts the steps fill: reading it builds the deserializers of the whole
     * document (Jackson resolves every property's at the first read), writing it back the
     * serializers of what is present.
     */
    static final String SAMPLE_DOCUMENT = """
            {"input":{"cluster":"priming"},
             "state":{"cluster":"priming","deadMaster":"db1","newMaster":"db2","gtid":true,
                      "replicas":[{"name":"db2","receivedFile":"mysql-bin.000001","receivedPos":4,
                                   "executedFile":"mysql-bin.000001","executedPos":4,"receivedGtids":"0-1-1","executedGtids":"0-1-1"}],
                      "latest":["db2"],"warnings":["priming"],"leftOut":[{"name":"db3","ok":false,"message":"priming"}],
                      "outcomes":[{"name":"db2","ok":true,"message":"priming"}]},
             "replicas":["db2"],
             "applied":[{"name":"db2","ok":true,"message":"priming"}],
             "recovered":[{"name":"db2","ok":true,"message":"priming"}]}
            """;

    /** The packages of the failover path, as class-file paths. */
    private static final List<String> PACKAGES = List.of("io/mhaserverless/core/", "io/mhaserverless/local/",
            "io/mhaserverless/node/protocol/");

    private FailoverPriming() {
    }

    /** Primes this JVM; a second call costs next to nothing. */
    public static void prime() {
        ObjectMapper json = FailoverWorkflow.json();
        try {
            WorkflowDocument document = json.readValue(SAMPLE_DOCUMENT, WorkflowDocument.class);
            json.readValue(json.writeValueAsBytes(document), WorkflowDocument.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the priming document does not read back", e);
        }
        ConfigLoader.parseYaml(SAMPLE_CONFIG, "priming");
        DriverManager.drivers().count(); // loads the JDBC driver through its ServiceLoader entry, connects nowhere
        loadClasses(FailoverPriming.class);
    }

    /**
     * Loads and initialises every class of the failover path's packages found where {@code anchor}
     * was loaded from (one jar, or a class directory in a development build). None of them does
     * anything at initialisation but set its constants. A class that cannot load (an optional
     * dependency absent) is skipped: it would fail the same way in a failover, not because of this.
     */
    public static int loadClasses(Class<?> anchor) {
        ClassLoader loader = anchor.getClassLoader();
        int loaded = 0;
        for (String name : classNames(anchor)) {
            try {
                Class.forName(name, true, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError skipped) {
                // not ours to fix here
            }
        }
        return loaded;
    }

    private static List<String> classNames(Class<?> anchor) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        if (source == null) {
            return List.of();
        }
        Path where;
        try {
            where = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(where)) {
                try (Stream<Path> files = Files.walk(where)) {
                    files.map(f -> where.relativize(f).toString().replace('\\', '/')).filter(FailoverPriming::onThePath)
                            .forEach(f -> names.add(className(f)));
                }
            } else if (Files.isRegularFile(where)) {
                try (JarFile jar = new JarFile(where.toFile())) {
                    jar.stream().map(JarEntry::getName).filter(FailoverPriming::onThePath).forEach(f -> names.add(className(f)));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return names;
    }

    private static boolean onThePath(String file) {
        return file.endsWith(".class") && !file.endsWith("module-info.class") && PACKAGES.stream().anyMatch(file::startsWith);
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".class".length()).replace('/', '.');
    }
}
