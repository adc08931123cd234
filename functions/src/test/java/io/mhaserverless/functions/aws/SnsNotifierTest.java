package io.mhaserverless.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.NotifierContract;
import io.mhaserverless.functions.fake.FakeAws;
import io.mhaserverless.functions.fake.FakeSns.Published;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Against FakeAws's SNS over HTTP. The port's behaviour is {@link NotifierContract}'s; here the
 * SNS message's shape and SNS's own limits.
 */
class SnsNotifierTest extends NotifierContract {

    FakeAws aws;
    SnsClient sns;
    String topic;

    @Override
    protected Notifier openNotifier() {
        aws = FakeAws.start();
        sns = TestAws.clients(aws.endpoint()).sns();
        topic = aws.sns().createTopic("mha-reports");
        return new SnsNotifier(sns, topic);
    }

    /** A person reads the email body, a machine the JSON that every machine protocol gets (checked below). */
    @Override
    protected Delivered lastDelivered() {
        List<Published> published = aws.sns().published();
        Published p = published.get(published.size() - 1);
        return new Delivered(p.subject(), p.perProtocol().get("email"), p.perProtocol().get("sqs"));
    }

    @Override
    protected int deliveries() {
        return aws.sns().published().size();
    }

    @AfterEach
    void stop() {
        sns.close();
        aws.close();
    }

    @Test
    void oneJsonStructuredPublishWithTextForPeopleAndJsonForEveryMachineProtocol() {
        String text = "Master db1(10.0.1.11:3306) is down!\n";
        String json = "{\"cluster\":\"app1\",\"outcome\":\"succeeded\",\"newMaster\":\"db2\"}";

        notifier.publish("app1: MySQL master failover db1 to db2 succeeded", text, json);

        assertThat(aws.sns().published()).hasSize(1);
        Published p = aws.sns().published().get(0);
        assertThat(p.topicArn()).isEqualTo(topic);
        assertThat(p.messageStructure()).isEqualTo("json");
        assertThat(p.perProtocol()).containsOnlyKeys("default", "email", "email-json", "sqs", "lambda", "http", "https");
        assertThat(p.perProtocol()).containsEntry("default", text).containsEntry("email", text)
                .containsEntry("email-json", json).containsEntry("sqs", json).containsEntry("lambda", json)
                .containsEntry("http", json);
        // HTTPS is how AWS Chatbot subscribes: it gets the custom-notification form (ChatNotificationTest checks its shape)
        assertThat(p.perProtocol().get("https")).contains("\"version\":\"1.0\"", "\"source\":\"custom\"", "mha ack --cluster app1");
    }

    @Test
    void aLongSubjectIsCutToNinetyNineCharactersEndingInThreeDots() {
        String subject = "app1: MySQL master failover " + "x".repeat(200) + " failed";

        notifier.publish(subject, "text", "{}");

        String sent = aws.sns().published().get(0).subject();
        assertThat(sent).hasSize(99).endsWith("...").startsWith("app1: MySQL master failover xxx");
    }

    @Test
    void lineBreaksAndControlCharactersLeaveTheSubject() {
        notifier.publish("app1: failover\r\nfailed\tat\u0007 phase 3", "text", "{}");

        assertThat(aws.sns().published().get(0).subject()).isEqualTo("app1: failover failed at phase 3");
    }

    @Test
    void theSubjectIsAsciiOnlyOneMarkPerCodePoint() {
        String cut = SnsNotifier.subject("😀".repeat(120));

        assertThat(cut).hasSize(99).matches("\\?{96}\\.\\.\\.");
        assertThat(SnsNotifier.subject("app1: Übernahme → db2")).isEqualTo("app1: ?bernahme ? db2");
        assertThat(SnsNotifier.subject("short")).isEqualTo("short");
        assertThat(SnsNotifier.subject("x".repeat(99))).isEqualTo("x".repeat(99));
        assertThat(SnsNotifier.subject("x".repeat(100))).isEqualTo("x".repeat(96) + "...");
        assertThat(SnsNotifier.subject(" \n ")).isEmpty();
    }

    @Test
    void aBlankSubjectIsLeftOut() {
        notifier.publish("\n", "text", "{}");

        assertThat(aws.sns().published().get(0).subject()).isNull();
        assertThat(aws.calls("Publish").get(0).params()).doesNotContainKey("Subject");
    }

    @Test
    void aReportTooLargeForSnsStillGoesOutShortened() {
        String text = "line of the report\n".repeat(10_000);
        String json = "{\"log\":\"" + "y".repeat(100_000) + "\"}";

        notifier.publish("app1: failover", text, json);

        Published p = aws.sns().published().get(0);
        assertThat(p.message().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SnsNotifier.MAX_MESSAGE_BYTES);
        assertThat(p.perProtocol().get("email")).startsWith("line of the report\n").contains("report truncated");
        assertThat(p.perProtocol().get("sqs")).contains("\"truncated\":true");
    }

    @Test
    void theSubjectCountsInTheSizeLimit() {
        // a report whose message alone just fits, a few bytes under the limit: the longest text that
        // fits (the text goes into several protocols' copies, the chat copy is capped, so search for it)
        int fits = 0;
        int tooLong = SnsNotifier.MAX_MESSAGE_BYTES;
        while (tooLong - fits > 1) {
            int mid = (fits + tooLong) >>> 1;
            if (SnsNotifier.message("", "t".repeat(mid), "{}").contains("report truncated")) {
                tooLong = mid;
            } else {
                fits = mid;
            }
        }
        String text = "t".repeat(fits - 20);
        assertThat(SnsNotifier.message("", text, "{}")).doesNotContain("report truncated");
        String subject = "app1: failover of db1 to db2 " + "x".repeat(60);

        notifier.publish(subject, text, "{}");

        Published p = aws.sns().published().get(0);
        assertThat(p.message().getBytes(StandardCharsets.UTF_8).length + p.subject().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(SnsNotifier.MAX_MESSAGE_BYTES);
        assertThat(p.perProtocol().get("email")).contains("report truncated");
    }

    @Test
    void snsErrorsAreMapped() {
        SnsNotifier nowhere = new SnsNotifier(sns, "arn:aws:sns:us-east-1:123456789012:missing");
        assertThatThrownBy(() -> nowhere.publish("s", "t", "{}")).isInstanceOf(FatalFailure.class)
                .hasMessage("SNS Publish failed: NotFound (HTTP 404): Topic does not exist");

        aws.failNext("Publish", 1, "Throttled", 429); // SNS's ThrottledException
        assertThatThrownBy(() -> notifier.publish("s", "t", "{}")).isInstanceOf(RetryableFailure.class)
                .hasMessageStartingWith("SNS Publish failed: Throttled");

        aws.failNext("Publish", 1, "InternalError", 500);
        assertThatThrownBy(() -> notifier.publish("s", "t", "{}")).isInstanceOf(RetryableFailure.class);
    }
}
