package io.mhaserverless.local.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mhaserverless.core.port.Notifier;
import io.mhaserverless.core.port.NotifierContract;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port's behaviour is {@link NotifierContract}'s, read back from what a person saw on the console
 * and what a machine found in the JSON file; here only the console notifier's own.
 */
class ConsoleNotifierTest extends NotifierContract {

    private static final String SUBJECT_LINE = "\nSubject: ";

    @TempDir
    Path dir;

    private final StringWriter console = new StringWriter();

    private Path jsonFile() {
        return dir.resolve("report.json");
    }

    @Override
    protected Notifier openNotifier() {
        return new ConsoleNotifier(new PrintWriter(console), Optional.of(jsonFile()));
    }

    @Override
    protected Delivered lastDelivered() {
        String shown = console.toString();
        String last = shown.substring(shown.lastIndexOf(SUBJECT_LINE) + SUBJECT_LINE.length());
        int endOfSubject = last.indexOf('\n');
        try {
            return new Delivered(last.substring(0, endOfSubject), last.substring(endOfSubject + 1), Files.readString(jsonFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected int deliveries() {
        return console.toString().split(SUBJECT_LINE, -1).length - 1;
    }

    @Test
    void withoutAJsonFileOnlyTheConsoleIsWrittenAndEveryPublishIsKept() throws IOException {
        StringWriter out = new StringWriter();
        ConsoleNotifier quiet = new ConsoleNotifier(new PrintWriter(out), Optional.empty());

        quiet.publish("app1: failover refused", "refused\n", "{\"outcome\":\"refused\"}");
        quiet.publish("app1: failover succeeded", "succeeded\n", "{\"outcome\":\"succeeded\"}");

        assertThat(out.toString()).isEqualTo("\nSubject: app1: failover refused\nrefused\n\nSubject: app1: failover succeeded\nsucceeded\n");
        assertThat(quiet.published()).containsExactly(
                new ConsoleNotifier.Published("app1: failover refused", "refused\n", "{\"outcome\":\"refused\"}"),
                new ConsoleNotifier.Published("app1: failover succeeded", "succeeded\n", "{\"outcome\":\"succeeded\"}"));
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
