package io.mhaserverless.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.workflow.FailoverRequest.Mode;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailoverRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static FailoverRequest parse(String json) {
        return FailoverRequest.parse(tree(json));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad JSON in the test itself: " + json, e);
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejected(String json) {
        return assertThatThrownBy(() -> parse(json)).isInstanceOf(InputRejected.class);
    }

    @Test
    void parsesTheDocumentedInput() {
        FailoverRequest r = parse("{\"cluster\":\"app1\",\"mode\":\"failover\",\"deadMaster\":\"db1\",\"newMaster\":null,\"force\":false}");

        assertThat(r).isEqualTo(new FailoverRequest("app1", Mode.FAILOVER, "db1", null, false, false, null));
    }

    @Test
    void onlyClusterGivenMeansAPlainFailoverWithEverythingDiscovered() {
        FailoverRequest r = parse("{\"cluster\":\"app1\"}");

        assertThat(r).isEqualTo(new FailoverRequest("app1", Mode.FAILOVER, null, null, false, false, null));
    }

    @Test
    void keepsEveryOptionalFieldWhenGiven() {
        FailoverRequest r = parse("{\"cluster\":\"app-1.prod\",\"mode\":\"FAILOVER\",\"deadMaster\":\"db1\",\"newMaster\":\"db_2\","
                + "\"force\":true,\"ignoreLastFailover\":true,\"lastSeenMasterBinlog\":\"mysql-bin.000042:1234\"}");

        assertThat(r).isEqualTo(new FailoverRequest("app-1.prod", Mode.FAILOVER, "db1", "db_2", true, true, "mysql-bin.000042:1234"));
    }

    @Test
    void missingClusterIsRejectedNamingIt() {
        rejected("{\"mode\":\"failover\"}").hasMessage("input field 'cluster' is required");
        rejected("{\"cluster\":null}").hasMessage("input field 'cluster' is required");
    }

    @Test
    void clusterThatIsNotAStringIsRejectedNamingIt() {
        rejected("{\"cluster\":42}").hasMessageStartingWith("input field 'cluster': expected a name").hasMessageEndingWith("got 42");
        rejected("{\"cluster\":[\"app1\"]}").hasMessageStartingWith("input field 'cluster': expected a name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app 1", "../etc", "", "-app1", "app1;rm"})
    void clusterWithCharactersANameCannotHaveIsRejected(String cluster) {
        rejected("{\"cluster\":" + JSON.valueToTree(cluster) + "}")
                .hasMessageStartingWith("input field 'cluster': expected a name (" + io.mhaserverless.core.config.Names.RULE + ")");
    }

    @Test
    void aClusterNameTheConfigAcceptsIsAcceptedHereToo() {
        String longest = "a".repeat(64);
        assertThat(io.mhaserverless.core.config.Names.valid(longest)).isTrue();
        assertThat(parse("{\"cluster\":\"" + longest + "\"}").cluster()).isEqualTo(longest);
        rejected("{\"cluster\":\"" + longest + "a\"}").hasMessageStartingWith("input field 'cluster': expected a name");
    }

    @Test
    void serverNamesAreCheckedLikeTheClusterName() {
        rejected("{\"cluster\":\"app1\",\"deadMaster\":\"db 1\"}").hasMessageStartingWith("input field 'deadMaster': expected a name");
        rejected("{\"cluster\":\"app1\",\"newMaster\":7}").hasMessageStartingWith("input field 'newMaster': expected a name");
    }

    @Test
    void misspeltFieldIsRejectedNamingItRatherThanIgnored() {
        rejected("{\"cluster\":\"app1\",\"ignoreLastFailver\":true}")
                .hasMessageStartingWith("input field 'ignoreLastFailver' is unknown")
                .hasMessageContaining("ignoreLastFailover");
    }

    @Test
    void unknownModeIsRejectedNamingTheFieldAndTheValue() {
        rejected("{\"cluster\":\"app1\",\"mode\":\"bogus\"}")
                .hasMessage("input field 'mode': expected \"failover\", \"switchover\" or \"rejoin\", got \"bogus\"");
        rejected("{\"cluster\":\"app1\",\"mode\":1}").hasMessageStartingWith("input field 'mode': expected");
    }

    @Test
    void switchoverTakesItsOwnFieldsWithMhasDefaultLimit() {
        assertThat(parse("{\"cluster\":\"app1\",\"mode\":\"switchover\"}"))
                .isEqualTo(new FailoverRequest("app1", Mode.SWITCHOVER, null, null, false, false, null, false, 1L));
        assertThat(parse("{\"cluster\":\"app1\",\"mode\":\"switchover\",\"newMaster\":\"db2\",\"origMasterIsNewSlave\":true,"
                + "\"runningUpdatesLimit\":5,\"force\":true}"))
                .isEqualTo(new FailoverRequest("app1", Mode.SWITCHOVER, null, "db2", true, false, null, true, 5L));
    }

    @Test
    void rejoinNamesTheServerAndNothingElse() {
        assertThat(parse("{\"cluster\":\"app1\",\"mode\":\"rejoin\",\"server\":\"db1\"}"))
                .isEqualTo(new FailoverRequest("app1", Mode.REJOIN, null, null, false, false, null, false, null, "db1"));
        rejected("{\"cluster\":\"app1\",\"mode\":\"rejoin\"}").hasMessage("input field 'server' is required");
        rejected("{\"cluster\":\"app1\",\"mode\":\"rejoin\",\"server\":\"db1\",\"newMaster\":\"db2\"}")
                .hasMessageStartingWith("input field 'newMaster' does not apply to a rejoin");
        rejected("{\"cluster\":\"app1\",\"mode\":\"switchover\",\"server\":\"db1\"}")
                .hasMessage("input field 'server' applies to a rejoin (mode \"rejoin\"), not to a switchover");
        rejected("{\"cluster\":\"app1\",\"mode\":\"rejoin\",\"server\":\"db 1\"}").hasMessageStartingWith("input field 'server': expected a name");
    }

    @Test
    void switchoverRefusesWhatOnlyAFailoverMeansAndViceVersa() {
        rejected("{\"cluster\":\"app1\",\"mode\":\"switchover\",\"deadMaster\":\"db1\"}")
                .hasMessage("input field 'deadMaster' applies to a failover of a dead master, not to a switchover (mode \"switchover\")");
        rejected("{\"cluster\":\"app1\",\"origMasterIsNewSlave\":true}")
                .hasMessage("input field 'origMasterIsNewSlave' applies to a switchover (mode \"switchover\"), not to a failover");
        rejected("{\"cluster\":\"app1\",\"mode\":\"failover\",\"runningUpdatesLimit\":1}")
                .hasMessageStartingWith("input field 'runningUpdatesLimit' applies to a switchover");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"1\"", "3601", "true"})
    void runningUpdatesLimitMustBeWholeSeconds(String value) {
        rejected("{\"cluster\":\"app1\",\"mode\":\"switchover\",\"runningUpdatesLimit\":" + value + "}")
                .hasMessage("input field 'runningUpdatesLimit': expected whole seconds from 0 to 3600, got " + value);
    }

    @Test
    void flagGivenAsAStringIsRejectedNamingIt() {
        rejected("{\"cluster\":\"app1\",\"force\":\"yes\"}").hasMessage("input field 'force': expected true or false, got \"yes\"");
        rejected("{\"cluster\":\"app1\",\"ignoreLastFailover\":1}")
                .hasMessage("input field 'ignoreLastFailover': expected true or false, got 1");
    }

    @Test
    void newMasterThatIsTheDeadMasterIsRejected() {
        rejected("{\"cluster\":\"app1\",\"deadMaster\":\"db1\",\"newMaster\":\"db1\"}")
                .hasMessage("input field 'newMaster': db1 is also the deadMaster");
    }

    @Test
    void lastSeenMasterBinlogMustBeABinlogPosition() {
        rejected("{\"cluster\":\"app1\",\"lastSeenMasterBinlog\":\"garbage\"}")
                .hasMessage("input field 'lastSeenMasterBinlog': expected a binlog position like \"mysql-bin.000042:1234\","
                        + " got \"garbage\"");
        rejected("{\"cluster\":\"app1\",\"lastSeenMasterBinlog\":\"mysql-bin.000042:end\"}")
                .hasMessageStartingWith("input field 'lastSeenMasterBinlog'");

        assertThat(parse("{\"cluster\":\"app1\",\"lastSeenMasterBinlog\":\"mysql-bin.000042:1234\"}").lastSeenMasterBinlog())
                .isEqualTo("mysql-bin.000042:1234");
    }

    @Test
    void inputThatIsNotAnObjectIsRejectedSayingWhatItWas() {
        rejected("[]").hasMessageStartingWith("input: expected a JSON object").hasMessageEndingWith("got array");
        rejected("\"x\"").hasMessageStartingWith("input: expected a JSON object").hasMessageEndingWith("got string");
        assertThatThrownBy(() -> FailoverRequest.parse(null)).isInstanceOf(InputRejected.class).hasMessageEndingWith("got nothing");
    }
}
