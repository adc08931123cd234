package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.functions.fake.CommandExecutor.CommandResult;
import io.mhaserverless.functions.fake.FakeAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mha check-agents (MHA's masterha_check_ssh): the local agent for real, and --aws against FakeAws. */
class CheckAgentsCommandTest {

    @TempDir
    Path dir;

    private Path binlogDir(String name) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name).resolve("binlogs"));
        Files.writeString(d.resolve("mysql-bin.index"), "./mysql-bin.000001\n");
        Files.write(d.resolve("mysql-bin.000001"), new byte[] {(byte) 0xfe, 'b', 'i', 'n'});
        return d;
    }

    private Path config(String servers) throws IOException {
        return Files.writeString(dir.resolve("app1.yaml"), "cluster: app1\nuser: admin\npassword: admin\nreplicationUser: repl\n"
                + "replicationPassword: repl\nservers:\n" + servers);
    }

    @Test
    void locallyEveryAgentAnswersAndReadsItsBinlogDir() throws IOException {
        Path config = config("  - {name: db1, host: 127.0.0.1, port: 3306, binlogDir: " + binlogDir("db1") + "}\n"
                + "  - {name: db2, host: 127.0.0.1, port: 3307, binlogDir: " + binlogDir("db2") + "}\n"
                + "  - {name: db3, host: 127.0.0.1, port: 3308}\n");

        CliRun run = CliRun.of("check-agents", "--config", config.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("OK     db1(127.0.0.1:3306): mha-node-agent ", "reads " + dir.resolve("db1/binlogs") + " (1 binlog files)")
                .contains("OK     db3(127.0.0.1:3308): ", "no binlogDir configured")
                .contains("Every node agent answers (3 servers).");
    }

    @Test
    void locallyAnUnreadableBinlogDirFailsNamingTheServer() throws IOException {
        Files.createDirectories(dir.resolve("db2"));
        Path config = config("  - {name: db1, host: 127.0.0.1, port: 3306, binlogDir: " + binlogDir("db1") + "}\n"
                + "  - {name: db2, host: 127.0.0.1, port: 3307, binlogDir: " + dir.resolve("db2/missing") + "}\n");

        CliRun run = CliRun.of("check-agents", "--config", config.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("ERROR  db2(127.0.0.1:3307): ", dir.resolve("db2/missing") + ": does not exist")
                .contains("Node agents NOT OK: 1 server failed: db2.");
    }

    @Test
    void aBadConfigIsExitTwo() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "cluster: app1\nservers: []\nnoSuchKey: 1\n");
        assertThat(CliRun.of("check-agents", "--config", config.toString()).exit()).isEqualTo(2);
    }

    @Test
    void onAwsSsmTheAgentAndTheSubnetAreChecked() throws IOException {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "not-a-secret");
        System.setProperty("aws.region", "us-east-1");
        try (FakeAws aws = FakeAws.start()) {
            aws.ec2().addSubnet("subnet-a", "10.0.1.0/24");
            aws.ec2().addSubnet("subnet-b", "10.0.2.0/24");
            aws.ec2().addInstance("i-00000000000000db1", "subnet-a", "10.0.1.11");
            aws.ec2().addInstance("i-00000000000000db2", "subnet-a", "10.0.1.12");
            aws.ec2().addInstance("i-00000000000000db3", "subnet-b", "10.0.2.13");
            aws.ec2().addInstance("i-00000000000000db4", "subnet-a", "10.0.1.14");
            aws.ec2().addInstance("i-00000000000000db5", "subnet-b", "10.0.2.15");
            for (String id : new String[] {"i-00000000000000db1", "i-00000000000000db2", "i-00000000000000db3", "i-00000000000000db5"}) {
                aws.ssm().registerInstance(id);
            }
            aws.ssm().agentVersion("i-00000000000000db2", "3.2.1000.0");
            aws.ssm().executor((id, p) -> CommandResult.success("{\"status\":\"ok\",\"version\":\"mha-node-agent 1.0\","
                    + "\"binlogDir\":\"/var/lib/mysql\",\"binlogFiles\":3,\"java\":\"21\"}"));
            Path config = config("""
                      - {name: db1, host: 10.0.1.11, instanceId: i-00000000000000db1, binlogDir: /var/lib/mysql}
                      - {name: db2, host: 10.0.1.12, instanceId: i-00000000000000db2}
                      - {name: db3, host: 10.0.2.13, instanceId: i-00000000000000db3}
                      - {name: db4, host: 10.0.1.14, instanceId: i-00000000000000db4}
                      - {name: db5, host: 10.0.2.15, instanceId: i-00000000000000db5, noMaster: true}
                    writerIp: {mode: eni, address: 10.0.1.50}
                    """);

            CliRun run = CliRun.of("check-agents", "--config", config.toString(), "--aws", "--aws-endpoint", aws.endpoint().toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).contains("OK     db1(10.0.1.11:3306): mha-node-agent 1.0, reads /var/lib/mysql (3 binlog files)")
                    .contains("ERROR  db2(10.0.1.12:3306): instance i-00000000000000db2 runs SSM Agent 3.2.1000.0; the node agent's"
                            + " document needs 3.3.2746.0 or later")
                    .contains("ERROR  db3(10.0.2.13:3306): cannot take the writer IP: ", "subnet-b (10.0.2.0/24)")
                    .contains("ERROR  db4(10.0.1.14:3306): instance i-00000000000000db4 is not managed by SSM")
                    .contains("OK     db5(10.0.2.15:3306): ")
                    .contains("Node agents NOT OK: 3 servers failed: db2, db3, db4.");
            assertThat(aws.ssm().commands()).allSatisfy(c -> assertThat(c.parameter("subcommand")).isEqualTo("self-check"));
            assertThat(aws.calls("AssignPrivateIpAddresses")).isEmpty();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            System.clearProperty("aws.region");
        }
    }
}
