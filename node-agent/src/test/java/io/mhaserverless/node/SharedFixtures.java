package io.mhaserverless.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The GPL-origin fixtures of ../shared/fixtures/binlogs-mysql-test-std-data: read in place (system
 * property {@code mha.shared.dir}, else ../shared beside the project root), never copied; tests
 * that need them are skipped when they are absent.
 */
public final class SharedFixtures {

    private SharedFixtures() {
    }

    public static Path mysqlTestStdData(String file) {
        Path dir = sharedDir().resolve("fixtures/binlogs-mysql-test-std-data");
        Path p = dir.resolve(file);
        assumeTrue(Files.isRegularFile(p), "shared fixture " + p + " is absent");
        return p;
    }

    static Path sharedDir() {
        String property = System.getProperty("mha.shared.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        return (dir == null ? Path.of("").toAbsolutePath() : dir).resolve("../shared").normalize();
    }

    /** A copied permissive fixture from src/test/resources/binlogs-permissive. */
    public static Path permissive(String relative) {
        try {
            var url = SharedFixtures.class.getResource("/binlogs-permissive/" + relative);
            if (url == null) {
                throw new IllegalArgumentException("no test resource binlogs-permissive/" + relative);
            }
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
