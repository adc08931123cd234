package io.mhaserverless.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the agent writes by hand, a Jackson reader reads back into the same record. */
class AnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyAnswerReadsBackAsWritten() throws Exception {
        SaveBinlogAnswer saved = new SaveBinlogAnswer("ok", "/o", 10, 2, 1, "b.1", 4, "b.2", 99, true, false, "0-1-5", null, 0, 0, 0);
        assertThat(JSON.readValue(saved.toJson().toString(), SaveBinlogAnswer.class)).isEqualTo(saved);
        SaveBinlogAnswer savedAndApplied = new SaveBinlogAnswer("ok", "/o", 10, 2, 1, "b.1", 4, "b.2", 99, false, true, "0-1-5",
                "h:3306", 2, 1, 0);
        assertThat(JSON.readValue(savedAndApplied.toJson().toString(), SaveBinlogAnswer.class)).isEqualTo(savedAndApplied);
        ApplyDiffAnswer applied = new ApplyDiffAnswer("ok", 5, 2, 300, "h:1", null, true, 1, "", "relay.000002", 256L);
        assertThat(JSON.readValue(applied.toJson().toString(), ApplyDiffAnswer.class)).isEqualTo(applied);
        IpAnswer ip = new IpAnswer("ok", true, "sent", "10.0.1.50", "eth0");
        assertThat(ip.toJson().toString()).contains("\"interface\":\"eth0\"");
        assertThat(JSON.readValue(ip.toJson().toString(), IpAnswer.class)).isEqualTo(ip);
        CheckMasterAnswer master = new CheckMasterAnswer("ok", false, "refused", 3);
        assertThat(JSON.readValue(master.toJson().toString(), CheckMasterAnswer.class)).isEqualTo(master);
        FindRelayPositionAnswer found = new FindRelayPositionAnswer("ok", "r.1", 4, "b.1", 120, "/d/r.1", 1);
        assertThat(JSON.readValue(found.toJson().toString(), FindRelayPositionAnswer.class)).isEqualTo(found);
        PurgeRelayLogsAnswer purged = new PurgeRelayLogsAnswer("ok", List.of("r.1"), "purged 1 of 2 relay logs");
        assertThat(JSON.readValue(purged.toJson().toString(), PurgeRelayLogsAnswer.class)).isEqualTo(purged);
        ErrorAnswer error = new ErrorAnswer("error", "a \"quoted\"\nline");
        assertThat(JSON.readValue(error.toJson().toString(), ErrorAnswer.class)).isEqualTo(error);
    }

    @Test
    void anApplyWithoutRelayDiffWritesNoRelayFields() {
        String json = new ApplyDiffAnswer("ok", 0, 0, 0, null, null, true, 0, "", null, null).toJson().toString();
        assertThat(json).doesNotContain("relayFile").doesNotContain("relayPos");
    }
}
