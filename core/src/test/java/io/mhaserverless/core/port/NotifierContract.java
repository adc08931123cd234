package io.mhaserverless.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Notifier} promises: a report reaches people as text and machines as JSON, under
 * its subject. An adapter's test extends this and reads back what its medium really carried; how
 * it shapes the message (SNS's per-protocol structure, the console's layout) stays in that test.
 */
public abstract class NotifierContract {

    /** What one publish delivered: the subject, the text a person reads, the JSON a machine reads. */
    public record Delivered(String subject, String text, String json) {
    }

    protected Notifier notifier;

    /** A notifier on a fresh medium, nothing delivered yet. */
    protected abstract Notifier openNotifier();

    /** What the medium carried for the most recent publish. */
    protected abstract Delivered lastDelivered();

    /** How many publishes the medium carried. */
    protected abstract int deliveries();

    @BeforeEach
    void openFreshMedium() {
        notifier = openNotifier();
    }

    @Test
    void aReportGoesOutOnceAsTextForPeopleAndJsonForMachines() {
        String text = "Master db1(10.0.1.11:3306) is down!\nMaster failover to db2(10.0.1.12:3306) completed successfully.\n";
        String json = "{\"cluster\":\"app1\",\"outcome\":\"succeeded\",\"newMaster\":\"db2\"}";

        notifier.publish("app1: MySQL master failover db1 to db2 succeeded", text, json);

        assertThat(deliveries()).isEqualTo(1);
        assertThat(lastDelivered()).isEqualTo(new Delivered("app1: MySQL master failover db1 to db2 succeeded", text, json));
    }

    @Test
    void aSubjectOfNinetyNineCharactersIsKeptWhole() {
        // the port's limit (SNS's): a subject within it must arrive unchanged
        String subject = "app1: MySQL master failover db1 to db2 " + "x".repeat(99 - 46) + " failed";

        notifier.publish(subject, "text\n", "{}");

        assertThat(subject).hasSize(99);
        assertThat(lastDelivered().subject()).isEqualTo(subject);
    }

    @Test
    void textAndJsonArriveUnchangedWhateverTheyContain() {
        String text = "Ünïcode 😀, quotes \" and \\ backslashes\n\ttabs\n{\"not\":\"json\"}\n";
        String json = "{\"note\":\"😀 \\\"quoted\\\"\",\"lines\":[\"a\\nb\"]}";

        notifier.publish("app1: failover", text, json);

        assertThat(lastDelivered()).isEqualTo(new Delivered("app1: failover", text, json));
    }

    @Test
    void everyPublishIsDeliveredTheLastOneLast() {
        notifier.publish("app1: failover refused", "refused\n", "{\"outcome\":\"refused\"}");
        notifier.publish("app1: failover succeeded", "succeeded\n", "{\"outcome\":\"succeeded\"}");

        assertThat(deliveries()).isEqualTo(2);
        assertThat(lastDelivered()).isEqualTo(new Delivered("app1: failover succeeded", "succeeded\n", "{\"outcome\":\"succeeded\"}"));
    }
}
