package io.mhaserverless.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.config.ConfigLoader;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures of a phase the state machine may retry: the connection's, never the failover's. */
class TransientFailureTest {

    private static final FailoverContext CONTEXT = FailoverContext.builder(() -> ConfigLoader.parseYaml(
            "cluster: t\nservers:\n  - {name: db1, host: 127.0.0.1}\n  - {name: db2, host: 127.0.0.2}\n", "t.yaml")).build();

    private static Phase failing(RuntimeException e) {
        return new Phase() {
            @Override
            public PhaseName name() {
                return PhaseName.FIND_LATEST_REPLICAS;
            }

            @Override
            public FailoverState apply(FailoverState state, FailoverContext context) {
                throw e;
            }
        };
    }

    private static final FailoverState START = FailoverState.start("t", null, null, false, 0);

    @Test
    void aLostConnectionIsTransient() {
        FailoverException lost = new FailoverException("db2: Communications link failure", new SQLException("link failure", "08S01"));
        assertThatThrownBy(() -> failing(lost).run(START, CONTEXT)).isInstanceOf(TransientFailure.class)
                .hasMessage("db2: Communications link failure").hasCause(lost);
    }

    @Test
    void aTimeoutOrATransientConnectionErrorIsTransient() {
        assertThatThrownBy(() -> failing(new IllegalStateException(new SocketTimeoutException("Read timed out"))).run(START, CONTEXT))
                .isInstanceOf(TransientFailure.class);
        assertThatThrownBy(() -> failing(new FailoverException("db3", new SQLTransientConnectionException("pool"))).run(START, CONTEXT))
                .isInstanceOf(TransientFailure.class);
    }

    @Test
    void aFailureOfTheFailoverStaysWhatItIs() {
        FailoverException refused = new FailoverException("newMaster db2 cannot be promoted");
        assertThatThrownBy(() -> failing(refused).run(START, CONTEXT)).isSameAs(refused);
        FailoverException syntax = new FailoverException("db2: bad statement", new SQLException("You have an error", "42000"));
        assertThatThrownBy(() -> failing(syntax).run(START, CONTEXT)).isSameAs(syntax);
    }

    @Test
    void aPhaseThatSucceedsIsRecordedByTheContextsClock() {
        io.mhaserverless.testbed.MutableClock clock = new io.mhaserverless.testbed.MutableClock(java.time.Instant.ofEpochMilli(5_000));
        FailoverContext context = FailoverContext.builder(() -> CONTEXT.config()).clock(clock).build();
        Phase slow = new Phase() {
            @Override
            public PhaseName name() {
                return PhaseName.CLEANUP;
            }

            @Override
            public FailoverState apply(FailoverState state, FailoverContext c) {
                clock.advance(java.time.Duration.ofMillis(250));
                return state;
            }
        };
        assertThat(slow.run(START, context).phases()).containsExactly(new FailoverState.PhaseRecord("Cleanup", 5_000, 250, ""));
    }

    @Test
    void aPhaseThatCouldWriteTwiceIsNotRetriedOnALostConnection() {
        FailoverException lost = new FailoverException("db2: Communications link failure", new SQLException("link failure", "08S01"));
        Phase applier = new Phase() {
            @Override
            public PhaseName name() {
                return PhaseName.RECOVER_NEW_MASTER;
            }

            @Override
            public FailoverState apply(FailoverState state, FailoverContext context) {
                throw lost;
            }

            @Override
            public boolean retrySafe(FailoverState state) {
                return false;
            }
        };
        assertThatThrownBy(() -> applier.run(START, CONTEXT)).isSameAs(lost);
    }

    @Test
    void recoverNewMasterIsRetrySafeOnlyWhenItsTargetHasGtids() {
        FailoverState.ReplicaPosition withGtids = new FailoverState.ReplicaPosition("db2", "mysql-bin.000001", 100, "mysql-bin.000001",
                100, "", "0-1-10", false, false, true, "/relay.index", true, "", 0);
        FailoverState.ReplicaPosition without = new FailoverState.ReplicaPosition("db3", "mysql-bin.000001", 100, "mysql-bin.000001",
                100, "", "", false, false, true, "/relay.index", true, "", 0);
        FailoverState positions = START.withPositions(java.util.List.of(withGtids, without), java.util.List.of("db2", "db3"),
                java.util.List.of(), "mysql-bin.000001:100");
        RecoverNewMaster phase = new RecoverNewMaster();

        assertThat(phase.retrySafe(positions)).as("before a new master is chosen").isTrue();
        assertThat(phase.retrySafe(positions.withNewMaster("db2", "latest"))).isTrue();
        assertThat(phase.retrySafe(positions.withNewMaster("db3", "latest"))).as("MySQL with gtid_mode=OFF").isFalse();
    }
}
