package io.mhaserverless.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's checkout, found upwards from the working directory: these suites read its files. */
final class Checkout {

    private Checkout() {
    }

    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("statemachine/asl.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no statemachine/asl.json above " + Path.of("").toAbsolutePath());
    }

    static Path statemachine() {
        return root().resolve("statemachine");
    }
}
