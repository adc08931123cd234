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
        Phase ok = new Phase() {
            @Override
            public PhaseName name() {
                return PhaseName.CLEANUP;
            }

            @Override
            public FailoverState apply(FailoverState state, FailoverContext context) {
                return state;
            }
        };
        assertThat(ok.run(START, CONTEXT).phases()).extracting(FailoverState.PhaseRecord::phase).containsExactly("Cleanup");
    }
}
