package io.mhaserverless.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the MhaNodeAgent document's script the way the SSM Agent does ({@code sh -c _script.sh} with
 * the parameters as SSM_ environment variables), with java, aws and curl replaced by fakes that
 * record what they were given.
 */
class NodeAgentScriptTest {

    /** ASCII-only JSON: the parameters reach the script's environment whatever the JVM's locale. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build());
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mha/app1-AbCdEf";
    private static final String PASSWORD = "p@ss w=rd:#!\\ \"é\" 😀 $(touch pwned)";

    @TempDir
    Path dir;
    private Path script;
    private Path jar;
    private Path secrets;
    private Path record;
    private Path awsArgs;
    private final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void needsBashAndPython() {
        assumeThat(onPath("bash") && onPath("python3")).as("bash and python3 on PATH").isTrue();
    }

    @BeforeEach
    void fakeHost() throws IOException {
        jar = Files.writeString(dir.resolve("mha-node-agent.jar"), "");
        secrets = dir.resolve("run");
        record = dir.resolve("java-record.json");
        awsArgs = dir.resolve("aws-args.txt");
        script = executable(dir.resolve("_script.sh"), hostScript());

        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("java"), """
                #!/usr/bin/env python3
                import json, os, sys
                record = {"argv": sys.argv[1:]}
                if "--credentials-file" in sys.argv:
                    f = sys.argv[sys.argv.index("--credentials-file") + 1]
                    record["mode"] = oct(os.stat(f).st_mode & 0o777)
                    record["credentials"] = open(f, encoding="latin-1").read()
                with open(os.environ["FAKE_RECORD"], "w") as out:
                    json.dump(record, out)
                print(json.dumps({"status": "ok"}))
                sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
                """);
        executable(bin.resolve("aws"), """
                #!/bin/bash
                printf '%s\\n' "$@" > "$FAKE_AWS_ARGS"
                if [ -n "${FAKE_AWS_FAIL:-}" ]; then echo "An error occurred (AccessDeniedException)" >&2; exit 254; fi
                printf '%s\\n' "$FAKE_SECRET"
                """);
        executable(bin.resolve("curl"), """
                #!/bin/bash
                case "$*" in
                  *latest/api/token*) echo token ;;
                  *placement/region*) echo ap-south-1 ;;
                  *) exit 22 ;;
                esac
                """);

        env.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        env.put("FAKE_RECORD", record.toString());
        env.put("FAKE_AWS_ARGS", awsArgs.toString());
        env.put("FAKE_SECRET", JSON.writeValueAsString(Map.of("username", "mha", "password", PASSWORD)));
        env.put("SSM_credentialsSecret", "");
        env.put("SSM_arguments", "[]");
    }

    @Test
    void argumentsReachTheAgentVerbatimAndNeverRun() throws Exception {
        List<String> arguments = List.of("--address", "$(touch pwned)", "`touch pwned`", "; touch pwned", "a b\tc",
                "it's", "\"quoted\"", "line1\nline2", "*", "ünï©ødé", "");
        env.put("SSM_subcommand", "bind-ip");
        env.put("SSM_arguments", JSON.writeValueAsString(arguments));

        Run run = run();

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(run.stdout).isEqualTo("{\"status\": \"ok\"}\n");
        List<String> expected = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable",
                "-Xlog:all=warning:stderr", "-Djdk.reflect.useNativeAccessorOnly=true", "-jar", jar.toString(), "bind-ip"));
        expected.addAll(arguments);
        assertThat(argv()).isEqualTo(expected);
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void theClassDataArchiveBesideTheJarIsUsedWhenTheInstallMadeOne() throws Exception {
        env.put("SSM_subcommand", "check-master");
        env.put("SSM_arguments", "[\"--host\",\"10.0.1.11\",\"--port\",\"3306\"]");
        Path archive = Files.writeString(dir.resolve("mha-node-agent.jsa"), "");

        Run run = run();

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(argv()).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable",
                "-Xlog:all=warning:stderr", "-Djdk.reflect.useNativeAccessorOnly=true", "-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-jar", jar.toString(), "check-master", "--host", "10.0.1.11",
                "--port", "3306");

        Files.delete(archive);
        run();
        assertThat(argv()).as("no archive, no archive flags: naming a missing one would cost the JDK's own")
                .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.equals("-Xshare:auto"));
    }

    @Test
    void aJdk25AotCacheBesideTheJarComesBeforeTheArchive() throws Exception {
        env.put("SSM_subcommand", "check-master");
        env.put("SSM_arguments", "[\"--host\",\"10.0.1.11\",\"--port\",\"3306\"]");
        Files.writeString(dir.resolve("mha-node-agent.jsa"), "");
        Path cache = Files.writeString(dir.resolve("mha-node-agent.aot"), "");

        Run run = run();

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(argv()).as("an older JDK ignores the option it does not know instead of refusing to start")
                .containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable",
                        "-Xlog:all=warning:stderr", "-Djdk.reflect.useNativeAccessorOnly=true", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:AOTCache=" + cache, "-jar", jar.toString(),
                        "check-master", "--host", "10.0.1.11", "--port", "3306");
    }

    @Test
    void theAgentsExitCodeIsTheCommandsExitCode() throws Exception {
        env.put("SSM_subcommand", "save-binlog");
        env.put("FAKE_EXIT", "10");

        Run run = run();

        assertThat(run.exit).isEqualTo(10);
        assertThat(run.stdout).isEqualTo("{\"status\": \"ok\"}\n");
    }

    @Test
    void credentialsReachTheAgentInAPrivateFileThatIsGoneAfterwards() throws Exception {
        env.put("SSM_subcommand", "apply-diff");
        env.put("SSM_arguments", "[\"--target-host\",\"10.0.1.12\"]");
        env.put("SSM_credentialsSecret", ARN);

        Run run = run();

        assertThat(run.exit).as(run.stderr).isZero();
        JsonNode recorded = JSON.readTree(record.toFile());
        assertThat(argv()).endsWith("--target-host", "10.0.1.12", "--credentials-file");
        assertThat(recorded.path("mode").asText()).isEqualTo("0o600");
        Properties credentials = new Properties();
        credentials.load(new StringReader(recorded.path("credentials").asText()));
        assertThat(credentials.getProperty("user")).isEqualTo("mha");
        assertThat(credentials.getProperty("password")).isEqualTo(PASSWORD);
        try (Stream<Path> left = Files.list(secrets)) {
            assertThat(left).isEmpty();
        }
        assertThat(Files.readAllLines(awsArgs)).containsExactly("secretsmanager", "get-secret-value", "--secret-id", ARN,
                "--region", "eu-west-1", "--query", "SecretString", "--output", "text");
        assertThat(run.stdout + run.stderr).doesNotContain("p@ss").doesNotContain("\\u0070");
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void aSecretNamedWithoutArnIsReadInTheInstancesRegion() throws Exception {
        env.put("SSM_subcommand", "purge-relay-logs");
        env.put("SSM_credentialsSecret", "mha/app1");

        Run run = run();

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(Files.readAllLines(awsArgs)).containsSequence("--secret-id", "mha/app1", "--region", "ap-south-1");
    }

    @Test
    void aSecretThatCannotBeReadStopsBeforeTheAgent() throws Exception {
        env.put("SSM_subcommand", "apply-diff");
        env.put("SSM_credentialsSecret", ARN);
        env.put("FAKE_AWS_FAIL", "yes");

        Run run = run();

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.stdout).isEmpty();
        assertThat(run.stderr).contains("cannot read the credentials secret " + ARN);
        assertThat(record).doesNotExist();
        try (Stream<Path> left = Files.list(secrets)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void saveBinlogThatAppliesToTheNewMasterGetsCredentials() throws Exception {
        env.put("SSM_subcommand", "save-binlog");
        env.put("SSM_arguments", "[\"--from\",\"mysql-bin.000002:4\",\"--apply-to\",\"10.0.1.12:3306\"]");
        env.put("SSM_credentialsSecret", ARN);

        Run run = run();

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(argv()).endsWith("save-binlog", "--from", "mysql-bin.000002:4", "--apply-to", "10.0.1.12:3306", "--credentials-file");
        Properties credentials = new Properties();
        credentials.load(new StringReader(JSON.readTree(record.toFile()).path("credentials").asText()));
        assertThat(credentials.getProperty("password")).isEqualTo(PASSWORD);
        try (Stream<Path> left = Files.list(secrets)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void credentialsAreRefusedToSubcommandsThatTakeNone() throws Exception {
        env.put("SSM_subcommand", "bind-ip");
        env.put("SSM_credentialsSecret", ARN);

        Run run = run();

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.stderr).contains("bind-ip takes no credentials");
        assertThat(awsArgs).doesNotExist();
        assertThat(record).doesNotExist();
    }

    @Test
    void anUnknownSubcommandIsRefused() throws Exception {
        env.put("SSM_subcommand", "bind-ip; touch pwned");

        Run run = run();

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.stderr).contains("unknown subcommand: bind-ip; touch pwned");
        assertThat(record).doesNotExist();
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void argumentsThatAreNotAJsonArrayOfStringsAreRefused() throws Exception {
        env.put("SSM_subcommand", "check-master");
        for (String arguments : List.of("{\"host\":\"db1\"}", "[1]", "--host db1", "\"db1\"", "[\"a\\u0000b\"]", "")) {
            env.put("SSM_arguments", arguments);

            Run run = run();

            assertThat(run.exit).as(arguments).isEqualTo(2);
            assertThat(run.stderr).as(arguments).contains("arguments must be a JSON array of strings");
            assertThat(record).as(arguments).doesNotExist();
        }
    }

    @Test
    void anSsmAgentThatDoesNotSetTheVariablesIsRefused() throws Exception {
        env.remove("SSM_arguments");
        env.put("SSM_subcommand", "check-master");

        Run run = run();

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.stderr).contains("SSM Agent 3.3.2746.0 or later is required");
    }

    @Test
    void aMissingAgentJarIsNamed() throws Exception {
        Files.delete(jar);
        env.put("SSM_subcommand", "check-master");

        Run run = run();

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.stderr).contains(jar + " is missing");
    }

    /** The document's script with the host paths moved into the test's directory. */
    private String hostScript() {
        Map<String, Object> content = NodeAgentDocument.content();
        List<Map<String, Object>> steps = TestStacks.cast(content.get("mainSteps"));
        Map<String, Object> inputs = TestStacks.cast(steps.get(0).get("inputs"));
        List<String> lines = TestStacks.cast(inputs.get("runCommand"));
        String text = String.join("\n", lines);
        Map<String, String> paths = Map.of(
                "agent_jar=/opt/mha/mha-node-agent.jar", "agent_jar=" + jar,
                "work_dir=/var/tmp/mha", "work_dir=" + dir.resolve("work"),
                "secrets_dir=/run/mha", "secrets_dir=" + secrets);
        for (Map.Entry<String, String> path : paths.entrySet()) {
            assertThat(text).contains(path.getKey());
            text = text.replace(path.getKey(), path.getValue());
        }
        return text;
    }

    private List<String> argv() throws IOException {
        List<String> argv = new ArrayList<>();
        JSON.readTree(record.toFile()).path("argv").forEach(a -> argv.add(a.asText()));
        int credentials = argv.indexOf("--credentials-file");
        return credentials < 0 ? argv : argv.subList(0, credentials + 1);
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private Run run() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script.toString()).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("script finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
