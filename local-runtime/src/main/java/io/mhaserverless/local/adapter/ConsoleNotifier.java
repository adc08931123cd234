package io.mhaserverless.local.adapter;

import io.mhaserverless.core.port.Notifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Notifier} for the local runtime: the report's text on the console, its JSON in a file
 * when asked, and the last publish kept for the caller (the demo's checks, the exit code).
 */
public final class ConsoleNotifier implements Notifier {

    /** One publish, as SNS would have carried it. */
    public record Published(String subject, String text, String json) {
    }

    private final PrintWriter out;
    private final Optional<Path> jsonFile;
    private final List<Published> published = new ArrayList<>();

    public ConsoleNotifier(PrintWriter out, Optional<Path> jsonFile) {
        this.out = out;
        this.jsonFile = jsonFile;
    }

    @Override
    public synchronized void publish(String subject, String text, String json) {
        published.add(new Published(subject, text, json));
        out.println();
        out.println("Subject: " + subject);
        out.print(text);
        out.flush();
        jsonFile.ifPresent(f -> {
            try {
                Files.writeString(f, json);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the report to " + f, e);
            }
        });
    }

    public synchronized List<Published> published() {
        return List.copyOf(published);
    }
}
