package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.config.WriterIpConfig;
import io.mhaserverless.functions.fake.FakeAws;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

class Ec2EniWriterIpTest {

    static final String WRITER = "10.0.1.50";
    static final ServerConfig DB1 = server("db1", "10.0.1.11", "i-0000000000000db01");
    static final ServerConfig DB2 = server("db2", "10.0.1.12", "i-0000000000000db02");
    static final ServerConfig DB3 = server("db3", "10.0.1.13", "i-0000000000000db03");

    FakeAws aws;
    Ec2Client ec2;
    List<String> hostSide = new CopyOnWriteArrayList<>();
    Ec2EniWriterIp writerIp;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        ec2 = TestAws.clients(aws.endpoint()).ec2();
        for (ServerConfig s : List.of(DB1, DB2, DB3)) {
            aws.ec2().addInstance(s.instanceId().orElseThrow(), "subnet-0a", s.host());
        }
        aws.ec2().assignSecondary(DB1.instanceId().orElseThrow(), WRITER);
        writerIp = new Ec2EniWriterIp(ec2, WRITER, new HostIpBinding() {
            @Override
            public void bind(ServerConfig server, String address) {
                hostSide.add("bind " + address + " " + server.name());
            }

            @Override
            public void unbind(ServerConfig server, String address) {
                hostSide.add("unbind " + address + " " + server.name());
            }
        }, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        ec2.close();
        aws.close();
    }

    @Test
    void aServerWhoseSubnetDoesNotContainTheWriterIpCannotTakeIt() {
        aws.ec2().addSubnet("subnet-0a", "10.0.1.0/24");
        aws.ec2().addSubnet("subnet-0b", "10.0.2.0/24");
        ServerConfig elsewhere = server("db4", "10.0.2.14", "i-0000000000000db04");
        aws.ec2().addInstance("i-0000000000000db04", "subnet-0b", "10.0.2.14");

        assertThat(writerIp.cannotTake(DB2)).isEmpty();
        assertThat(writerIp.cannotTake(elsewhere)).hasValueSatisfying(why -> assertThat(why)
                .contains("subnet-0b", "10.0.2.0/24", "does not contain the writer IP " + WRITER));
        assertThat(aws.calls("DescribeSubnets").get(1).param("SubnetId.1")).isEqualTo("subnet-0b");
        assertThat(writerIp.cannotTake(server("db5", "10.0.1.15", "i-00000000000000gone"))).hasValueSatisfying(why -> assertThat(why)
                .contains("no network interface"));
        assertThat(writerIp.cannotTake(server("db6", "10.0.1.16", null))).hasValueSatisfying(why -> assertThat(why)
                .contains("no instanceId"));
        assertThat(aws.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void replicasInOneSubnetCostOneDescribeSubnets() {
        aws.ec2().addSubnet("subnet-0a", "10.0.1.0/24");
        aws.ec2().addInstance("i-0000000000000db04", "subnet-0a", "10.0.1.14");

        assertThat(writerIp.cannotTake(DB2)).isEmpty();
        assertThat(writerIp.cannotTake(server("db4", "10.0.1.14", "i-0000000000000db04"))).isEmpty();

        assertThat(aws.calls("DescribeSubnets")).hasSize(1);
        assertThat(aws.calls("DescribeNetworkInterfaces")).hasSize(2);
    }

    @Test
    void cidrBlocks() {
        assertThat(Cidr.parse("10.0.1.0/24").contains("10.0.1.50")).isTrue();
        assertThat(Cidr.parse("10.0.1.0/24").contains("10.0.2.50")).isFalse();
        assertThat(Cidr.parse("10.0.0.0/16").contains("10.0.255.1")).isTrue();
        assertThat(Cidr.parse("10.0.1.128/25").contains("10.0.1.127")).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains("192.168.1.1")).isTrue();
        assertThat(Cidr.parse("10.0.1.0/24").contains("fd00::1")).isFalse();
    }

    @Test
    void movesTheAddressToTheNewMastersEni() {
        writerIp.release(DB1);
        writerIp.assign(DB2);

        assertThat(aws.ec2().secondaryIps("i-0000000000000db02")).containsExactly(WRITER);
        assertThat(aws.ec2().secondaryIps("i-0000000000000db01")).isEmpty();
        assertThat(aws.ec2().holders(WRITER)).containsExactly("i-0000000000000db02");
        FakeAws.Call assign = aws.calls("AssignPrivateIpAddresses").get(0);
        assertThat(assign.param("AllowReassignment")).isEqualTo("true");
        assertThat(assign.param("NetworkInterfaceId")).isEqualTo(aws.ec2().eniId("i-0000000000000db02"));
        assertThat(assign.param("PrivateIpAddress.1")).isEqualTo(WRITER);
        assertThat(hostSide).as("the fence is EC2's alone: the old host is not waited for").containsExactly("bind " + WRITER + " db2");

        writerIp.clearOldHost(DB1);
        assertThat(hostSide).containsExactly("bind " + WRITER + " db2", "unbind " + WRITER + " db1");
        assertThat(aws.calls("UnassignPrivateIpAddresses")).hasSize(1);
    }

    @Test
    void theNewMastersHostBindsWhileEc2StillAssigns() {
        List<List<String>> holdersWhenTheHostBinds = new java.util.concurrent.CopyOnWriteArrayList<>();
        Ec2EniWriterIp overlapping = new Ec2EniWriterIp(ec2, WRITER, new HostIpBinding() {
            @Override
            public void bind(ServerConfig server, String address) {
                holdersWhenTheHostBinds.add(aws.ec2().holders(address));
            }

            @Override
            public void unbind(ServerConfig server, String address) {
            }
        }, Duration.ofSeconds(10));
        // EC2 takes 2 s to answer the assign: a bind that waited for it would find the address moved already
        aws.stallNext("AssignPrivateIpAddresses", 1, Duration.ofSeconds(2));

        overlapping.assign(DB2);

        assertThat(holdersWhenTheHostBinds).containsExactly(List.of("i-0000000000000db01"));
        assertThat(aws.ec2().holders(WRITER)).containsExactly("i-0000000000000db02");
    }

    @Test
    void findsThePrimaryEniByInstanceAndDeviceIndex() {
        aws.ec2().addEni("i-0000000000000db02", 1, "subnet-0a", "10.0.1.99");
        writerIp.assign(DB2);

        FakeAws.Call lookup = aws.calls("DescribeNetworkInterfaces").get(0);
        assertThat(lookup.params()).containsEntry("Filter.1.Name", "attachment.instance-id")
                .containsEntry("Filter.1.Value.1", "i-0000000000000db02")
                .containsEntry("Filter.2.Name", "attachment.device-index")
                .containsEntry("Filter.2.Value.1", "0");
        assertThat(aws.ec2().secondaryIps("i-0000000000000db02")).containsExactly(WRITER);
    }

    @Test
    void assignTakesTheAddressFromADeadMasterThatWasNotReleased() {
        writerIp.assign(DB3);

        assertThat(aws.ec2().holders(WRITER)).containsExactly("i-0000000000000db03");
    }

    @Test
    void releaseIsIdempotent() {
        writerIp.release(DB1);
        writerIp.release(DB1);
        writerIp.release(DB2); // never held it

        assertThat(aws.ec2().holders(WRITER)).isEmpty();
        assertThat(aws.calls("UnassignPrivateIpAddresses")).hasSize(1);
    }

    @Test
    void assignIsIdempotent() {
        writerIp.assign(DB2);
        writerIp.assign(DB2);

        assertThat(aws.ec2().holders(WRITER)).containsExactly("i-0000000000000db02");
        assertThat(aws.calls("AssignPrivateIpAddresses")).hasSize(1);
        assertThat(hostSide).containsExactly("bind " + WRITER + " db2", "bind " + WRITER + " db2");
    }

    @Test
    void releasingATerminatedInstanceIsFine() {
        aws.ec2().terminate("i-0000000000000db01");

        writerIp.release(DB1);

        assertThat(aws.calls("UnassignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void waitsUntilEc2ShowsTheMove() {
        aws.ec2().hideChangesFromNextDescribes(3);

        writerIp.assign(DB2);

        // 1 lookup + polls: two stale answers, then the truth.
        assertThat(aws.calls("DescribeNetworkInterfaces").size()).isGreaterThanOrEqualTo(4);
        assertThat(hostSide).containsExactly("bind " + WRITER + " db2");
    }

    @Test
    void anAddressThatDoesNotSettleIsRetryable() {
        Ec2EniWriterIp impatient = new Ec2EniWriterIp(ec2, WRITER, HostIpBinding.NONE, Duration.ofMillis(300));
        aws.ec2().hideChangesFromNextDescribes(1000);

        assertThatThrownBy(() -> impatient.assign(DB2))
                .isInstanceOf(RetryableFailure.class)
                .hasMessageContaining(WRITER).hasMessageContaining("db2");
    }

    @Test
    void aServerWithoutInstanceIdIsNamed() {
        ServerConfig bare = new ServerConfig("db9", "10.0.1.19", 3306, false, false, false, Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> writerIp.assign(bare)).isInstanceOf(FatalFailure.class)
                .hasMessageContaining("db9(10.0.1.19:3306)").hasMessageContaining("instanceId");
        assertThatThrownBy(() -> writerIp.release(bare)).isInstanceOf(FatalFailure.class)
                .hasMessageContaining("db9");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void aMissingInstanceCannotTakeTheAddress() {
        aws.ec2().terminate("i-0000000000000db02");

        assertThatThrownBy(() -> writerIp.assign(DB2)).isInstanceOf(FatalFailure.class)
                .hasMessageContaining("i-0000000000000db02").hasMessageContaining("db2");
    }

    @Test
    void ec2ErrorsAreMapped() {
        aws.failNext("AssignPrivateIpAddresses", 1, "RequestLimitExceeded", 503);
        assertThatThrownBy(() -> writerIp.assign(DB2)).isInstanceOf(RetryableFailure.class)
                .hasMessage("EC2 AssignPrivateIpAddresses failed: RequestLimitExceeded (HTTP 503): injected by FakeAws");

        aws.failNext("AssignPrivateIpAddresses", 1, "InvalidParameterValue", 400);
        assertThatThrownBy(() -> writerIp.assign(DB2)).isInstanceOf(FatalFailure.class)
                .satisfies(e -> assertThat(((FatalFailure) e).errorCode()).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void configMustBeEniWithAnAddress() {
        assertThat(Ec2EniWriterIp.of(new WriterIpConfig(WriterIpConfig.Mode.ENI, Optional.of(WRITER)), ec2, HostIpBinding.NONE)
                .describe()).isEqualTo("ENI secondary IP " + WRITER);
        assertThatThrownBy(() -> Ec2EniWriterIp.of(WriterIpConfig.none(), ec2, HostIpBinding.NONE))
                .isInstanceOf(FatalFailure.class);
    }

    static ServerConfig server(String name, String host, String instanceId) {
        return new ServerConfig(name, host, 3306, false, false, false, Optional.ofNullable(instanceId), Optional.empty());
    }
}
