package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.FailoverState.ReplicaPosition;
import io.mhaserverless.core.failover.SelectNewMaster.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MHA's selection rules and their precedence, one row each, on positions built in memory (the
 * real-server SelectNewMasterTest shows the same rules on real lag, a few at a time). The dead
 * master is db1; replicas are listed in config order, which breaks ties within a rule.
 */
class SelectNewMasterRulesTest {

    private static final String FILE = "mysql-bin.000003";
    /** Where the latest replicas are: received and applied. */
    private static final long LATEST = 5000;

    /** One replica's facts; by default fully applied at the latest position and fit to be master. */
    record Replica(String name, String executedFile, long executedPos, boolean isCandidate, boolean isNoMaster, boolean logBin,
                   boolean logReplicaUpdates, String sqlError, long delaySeconds) {

        static Replica of(String name) {
            return new Replica(name, FILE, LATEST, false, false, true, true, "", 0);
        }

        Replica at(long pos) {
            return at(FILE, pos);
        }

        Replica at(String file, long pos) {
            return new Replica(name, file, pos, isCandidate, isNoMaster, logBin, logReplicaUpdates, sqlError, delaySeconds);
        }

        Replica candidate() {
            return new Replica(name, executedFile, executedPos, true, isNoMaster, logBin, logReplicaUpdates, sqlError, delaySeconds);
        }

        Replica noMaster() {
            return new Replica(name, executedFile, executedPos, isCandidate, true, logBin, logReplicaUpdates, sqlError, delaySeconds);
        }

        Replica logBinOff() {
            return new Replica(name, executedFile, executedPos, isCandidate, isNoMaster, false, logReplicaUpdates, sqlError, delaySeconds);
        }

        Replica logReplicaUpdatesOff() {
            return new Replica(name, executedFile, executedPos, isCandidate, isNoMaster, logBin, false, sqlError, delaySeconds);
        }

        Replica sqlError(String error) {
            return new Replica(name, executedFile, executedPos, isCandidate, isNoMaster, logBin, logReplicaUpdates, error, delaySeconds);
        }

        Replica delayed(long seconds) {
            return new Replica(name, executedFile, executedPos, isCandidate, isNoMaster, logBin, logReplicaUpdates, sqlError, seconds);
        }

        /** Frozen with its IO thread stopped: it applied all it received. */
        ReplicaPosition position() {
            return new ReplicaPosition(name, executedFile, executedPos, executedFile, executedPos, "", "", isCandidate, isNoMaster,
                    logBin, "/var/lib/mysql/relay-bin.index", logReplicaUpdates, sqlError, delaySeconds);
        }
    }

    /** One row: the situation, and the replica chosen (with its reason and warnings) or the refusal. */
    static final class Row {
        private final String rule;
        private final List<Replica> replicas;
        private List<String> latest = List.of();
        private boolean gtid;
        private String requested;
        private boolean force;
        private String config = "";
        private String chosen;
        private String reason;
        private List<String> warnings = List.of();
        private String refusal;

        private Row(String rule, Replica... replicas) {
            this.rule = rule;
            this.replicas = List.of(replicas);
        }

        Row latest(String... names) {
            latest = List.of(names);
            return this;
        }

        Row gtid() {
            gtid = true;
            return this;
        }

        Row newMaster(String name) {
            requested = name;
            return this;
        }

        Row forced() {
            force = true;
            return this;
        }

        /** Cluster-level config lines, e.g. {@code latestPriority: false}. */
        Row config(String... lines) {
            config = String.join("\n", lines) + "\n";
            return this;
        }

        Row chooses(String name, String why, String... warned) {
            chosen = name;
            reason = why;
            warnings = List.of(warned);
            return this;
        }

        Row refuses(String message) {
            refusal = message;
            return this;
        }

        FailoverState state() {
            return FailoverState.start("app1", "db1", requested, force, 0)
                    .withDeadMaster("db1", gtid)
                    .withPositions(replicas.stream().map(Replica::position).toList(), latest, List.of(), FILE + ":" + LATEST);
        }

        ClusterConfig clusterConfig() {
            return ConfigLoader.parseYaml("cluster: app1\nuser: admin\npassword: admin\n" + config + """
                    servers:
                      - {name: db1, host: 127.0.0.1, port: 1}
                      - {name: db2, host: 127.0.0.1, port: 2}
                      - {name: db3, host: 127.0.0.1, port: 3}
                      - {name: db4, host: 127.0.0.1, port: 4}
                    """, "rules.yaml");
        }

        @Override
        public String toString() {
            return rule;
        }
    }

    private static Row given(String rule, Replica... replicas) {
        return new Row(rule, replicas);
    }

    private static Replica r(String name) {
        return Replica.of(name);
    }

    private static final String BEHIND = " (behind the latest replica: caught up from it first)";
    private static final String FORCE_HINT = " (promote anyway with force=true)";

    static Stream<Row> rules() {
        List<Row> rows = new ArrayList<>(List.of(
                // 1. the operator's newMaster
                given("the operator's choice beats a latest candidateMaster", r("db2").at(4500), r("db3").candidate())
                        .latest("db3").newMaster("db2").chooses("db2", "chosen by the operator (newMaster)"),
                given("the operator's choice must be a live replica", r("db2").at(4500), r("db3"))
                        .latest("db3").newMaster("db9").refuses("newMaster db9 is not a live replica of db1"),
                given("the operator's noMaster choice is refused", r("db2").noMaster(), r("db3"))
                        .latest("db2", "db3").newMaster("db2").refuses("newMaster db2 cannot be promoted: noMaster"),
                given("force does not lift noMaster", r("db2").noMaster(), r("db3"))
                        .latest("db2", "db3").newMaster("db2").forced().refuses("newMaster db2 cannot be promoted: noMaster"),
                given("the operator's choice too far behind is refused, naming force", r("db2").at(2900), r("db3"))
                        .config("checkReplDelayBytes: 2000").latest("db3").newMaster("db2")
                        .refuses("newMaster db2 cannot be promoted: is 2100 bytes behind the latest replica db3"
                                + " (checkReplDelayBytes 2000)" + FORCE_HINT),
                given("force promotes the operator's choice too far behind, with a warning", r("db2").at(2900), r("db3"))
                        .config("checkReplDelayBytes: 2000").latest("db3").newMaster("db2").forced()
                        .chooses("db2", "chosen by the operator (newMaster)", "db2 is 2100 bytes behind the latest replica db3"
                                + " (checkReplDelayBytes 2000): allowed as a new master because forced"),

                // 2. a latest replica that is a candidateMaster
                given("a latest candidateMaster beats an earlier candidateMaster behind", r("db2").candidate().at(4500), r("db3"),
                        r("db4").candidate())
                        .latest("db3", "db4").chooses("db4", "a latest replica and a candidateMaster"),
                given("the first latest candidateMaster in config order", r("db2").at(4500), r("db3").candidate(),
                        r("db4").candidate())
                        .latest("db3", "db4").chooses("db3", "a latest replica and a candidateMaster"),

                // 3. any candidateMaster
                given("without latestPriority the first candidateMaster in config order wins, though behind",
                        r("db2").candidate().at(4500), r("db3"), r("db4").candidate())
                        .config("latestPriority: false").latest("db3", "db4").chooses("db2", "a candidateMaster" + BEHIND),
                given("a candidateMaster behind beats a latest replica that is none", r("db2").candidate().at(4500), r("db3"))
                        .latest("db3").chooses("db2", "a candidateMaster" + BEHIND),
                given("a latest candidateMaster chosen without latestPriority is not said to be behind", r("db2").at(4500),
                        r("db3").candidate())
                        .config("latestPriority: false").latest("db3").chooses("db3", "a candidateMaster"),

                // 4. a latest replica
                given("no candidateMaster: the first latest replica in config order", r("db2").at(4500), r("db3"), r("db4"))
                        .latest("db3", "db4").chooses("db3", "a latest replica"),

                // 5. any replica
                given("no candidateMaster, no latestPriority: the first replica in config order", r("db2").at(4500), r("db3"))
                        .config("latestPriority: false").latest("db3")
                        .chooses("db2", "the first replica that may become master" + BEHIND),
                given("the first replica that is latest is not said to be behind", r("db2"), r("db3").at(4500))
                        .config("latestPriority: false").latest("db2").chooses("db2", "the first replica that may become master"),
                given("a noMaster latest replica leaves the first other one, caught up from it", r("db2").at(4500),
                        r("db3").at(4800), r("db4").noMaster())
                        .latest("db4").chooses("db2", "the first replica that may become master" + BEHIND),

                // the delay rule's edges
                given("exactly checkReplDelayBytes behind is close enough", r("db2").candidate().at(3000), r("db3"))
                        .config("checkReplDelayBytes: 2000").latest("db3").chooses("db2", "a candidateMaster" + BEHIND),
                given("one byte more is too far", r("db2").candidate().at(2999), r("db3"))
                        .config("checkReplDelayBytes: 2000").latest("db3").chooses("db3", "a latest replica"),
                given("checkReplDelay off: any distance is fine", r("db2").candidate().at("mysql-bin.000001", 4), r("db3"))
                        .config("checkReplDelay: false").latest("db3").chooses("db2", "a candidateMaster" + BEHIND),
                given("force lets an automatic choice be too far behind, with a warning", r("db2").candidate().at(2900),
                        r("db3"))
                        .config("checkReplDelayBytes: 2000").latest("db3").forced()
                        .chooses("db2", "a candidateMaster" + BEHIND, "db2 is 2100 bytes behind the latest replica db3"
                                + " (checkReplDelayBytes 2000): allowed as a new master because forced"),
                given("force warns of every replica too far behind, chosen or not", r("db2").at(2900), r("db3"))
                        .config("checkReplDelayBytes: 2000").latest("db3").forced()
                        .chooses("db3", "a latest replica", "db2 is 2100 bytes behind the latest replica db3"
                                + " (checkReplDelayBytes 2000): allowed as a new master because forced"),
                given("in file/position mode log_slave_updates OFF does not matter", r("db2").candidate().logReplicaUpdatesOff()
                        .at(4500), r("db3"))
                        .latest("db3").chooses("db2", "a candidateMaster" + BEHIND),

                // nobody
                given("every replica bad: each named with its reason", r("db2").noMaster().at(4500), r("db3").logBinOff())
                        .latest("db3").refuses("no replica can become the new master: db2 noMaster; db3 log_bin is OFF"),
                given("only the first reason of a replica counts, in the order noMaster, log_bin, delay, SQL error",
                        r("db2").logBinOff().sqlError("Error 1062").delayed(60).at(4500), r("db3").noMaster())
                        .latest("db3").refuses("no replica can become the new master: db2 log_bin is OFF; db3 noMaster"),
                given("nobody but a replica too far behind: the refusal names force", r("db2").at(2900), r("db3").noMaster())
                        .config("checkReplDelayBytes: 2000").latest("db3")
                        .refuses("no replica can become the new master: db3 noMaster; db2 is 2100 bytes behind the latest"
                                + " replica db3 (checkReplDelayBytes 2000) (a delayed replica can be promoted with"
                                + " force=true)"),
                given("no latest replica to recover from: nothing is chosen", r("db2").at(4500), r("db3").sqlError("Error 1062"))
                        .latest("db3").refuses("no latest replica (db3) can be recovered from: each has a SQL thread error"
                                + " or a MASTER_DELAY")));

        // Each kind of bad candidateMaster: passed over for the latest replica, and named when the operator asks for it.
        record Bad(String what, UnaryOperator<Replica> make, boolean gtid, String config, String why) {
        }
        for (Bad bad : List.of(
                new Bad("log_bin OFF", Replica::logBinOff, false, "", "log_bin is OFF"),
                new Bad("a failed SQL thread", x -> x.sqlError("Error 1032: row not found"), false, "",
                        "its SQL thread stopped with Error 1032: row not found"),
                new Bad("MASTER_DELAY", x -> x.delayed(3600), false, "", "a delayed replica (MASTER_DELAY 3600 s)"),
                new Bad("log_slave_updates OFF in GTID mode", Replica::logReplicaUpdatesOff, true, "",
                        "log_slave_updates is OFF, so replicas behind it could not get what they lack from its binlog"),
                new Bad("applied only an older binlog file", x -> x.at("mysql-bin.000002", 900), false, "",
                        "applied up to mysql-bin.000002:900 while the latest replica db3 received into " + FILE
                                + " (checkReplDelay)"),
                new Bad("more than checkReplDelayBytes behind", x -> x.at(100), false, "checkReplDelayBytes: 4000",
                        "is 4900 bytes behind the latest replica db3 (checkReplDelayBytes 4000)"))) {
            boolean delay = bad.why().contains("checkReplDelay");
            Row skipped = given("a candidateMaster with " + bad.what() + " is passed over",
                    bad.make().apply(r("db2").candidate().at(4500)), r("db3"))
                    .latest("db3").chooses("db3", "a latest replica");
            Row refused = given("the operator's choice with " + bad.what() + " is refused, saying why",
                    bad.make().apply(r("db2").at(4500)), r("db3"))
                    .latest("db3").newMaster("db2").refuses("newMaster db2 cannot be promoted: " + bad.why()
                            + (delay ? FORCE_HINT : ""));
            for (Row row : List.of(skipped, refused)) {
                if (bad.gtid()) {
                    row.gtid();
                }
                if (!bad.config().isEmpty()) {
                    row.config(bad.config());
                }
                rows.add(row);
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void selection(Row row) {
        FailoverState state = row.state();
        ClusterConfig config = row.clusterConfig();

        if (row.refusal != null) {
            assertThatThrownBy(() -> SelectNewMaster.select(state, config))
                    .isInstanceOf(FailoverException.class)
                    .hasMessage(row.refusal);
        } else {
            Selection selection = SelectNewMaster.select(state, config);
            assertThat(selection.name()).as("chosen").isEqualTo(row.chosen);
            assertThat(selection.reason()).as("reason").isEqualTo(row.reason);
            assertThat(selection.warnings()).as("warnings").containsExactlyElementsOf(row.warnings);
        }
    }
}
