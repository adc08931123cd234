package io.mhaserverless.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The workflow's field names become this command's flags in prose, and nowhere else. */
class CliTermsTest {

    @Test
    void proseNamesTheFlags() {
        assertThat(CliTerms.of("newMaster db2 cannot be promoted (promote anyway with force=true)"))
                .isEqualTo("--new-master db2 cannot be promoted (promote anyway with --force-with-possible-data-loss)");
        assertThat(CliTerms.of("deadMaster db1 is not the master; start the execution with ignoreLastFailover=true"))
                .isEqualTo("--dead-master db1 is not the master; start the execution with --ignore-last-failover");
    }

    @Test
    void jsonQuotedFieldsAndLongerNamesAreLeftAlone() {
        String json = "{\"input\":{\"deadMaster\":\"db1\",\"newMaster\":null,\"force\":true}}";
        assertThat(CliTerms.of(json)).isEqualTo(json);
        assertThat(CliTerms.of("input field 'deadMaster': expected a name")).isEqualTo("input field 'deadMaster': expected a name");
        assertThat(CliTerms.of("host db1.newMaster.internal, server newMasters, force=trueish"))
                .isEqualTo("host db1.newMaster.internal, server newMasters, force=trueish");
        assertThat(CliTerms.of(null)).isNull();
    }
}
