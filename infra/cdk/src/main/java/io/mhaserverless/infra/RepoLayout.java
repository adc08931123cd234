package io.mhaserverless.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of this repository the stack deploys. The root is found by walking up from the working
 * directory, because the CDK CLI runs the app from infra/cdk while tests and IDEs may start elsewhere.
 */
public final class RepoLayout {

    static final String STATE_MACHINE = "statemachine/asl.json";
    static final String FUNCTIONS_JAR = "functions/target/mha-functions-lambda.jar";
    /** System property that points at another Lambda jar (a CI artifact, say). */
    public static final String FUNCTIONS_JAR_PROPERTY = "mha.functions.jar";

    private final Path root;

    private RepoLayout(Path root) {
        this.root = root;
    }

    public static RepoLayout fromWorkingDirectory() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(STATE_MACHINE))) {
                return new RepoLayout(dir);
            }
        }
        throw new IllegalStateException("no " + STATE_MACHINE + " in " + start + " or any directory above it:"
                + " run the CDK app from inside the mha-serverless repository");
    }

    public Path root() {
        return root;
    }

    public Path stateMachineFile() {
        return root.resolve(STATE_MACHINE);
    }

    public String stateMachineDefinition() {
        try {
            return Files.readString(stateMachineFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stateMachineFile(), e);
        }
    }

    /** The shaded Lambda jar; it must exist because synth hashes and stages it as an asset. */
    public Path functionsJar() {
        String override = System.getProperty(FUNCTIONS_JAR_PROPERTY, "");
        Path jar = override.isBlank() ? root.resolve(FUNCTIONS_JAR) : Path.of(override).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the Lambda jar " + jar + " does not exist: build it first with"
                    + " `./mvnw -pl functions -am package -DskipTests` in " + root
                    + " (or point -D" + FUNCTIONS_JAR_PROPERTY + "= at a built jar)");
        }
        return jar;
    }
}
