package io.mhaserverless.node.binlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A relay-log index file ({@code relay-bin.index}): one relay-log file per line, oldest first,
 * absolute or relative to the index's directory (as the server writes them for a relative
 * {@code relay_log}).
 */
public record RelayLogIndex(Path indexFile, List<Path> files) {

    public static RelayLogIndex read(Path indexFile) throws IOException {
        if (!Files.isRegularFile(indexFile)) {
            throw new NoSuchFileException(indexFile.toString(), null, "relay-log index does not exist");
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(indexFile, StandardCharsets.UTF_8)) {
            String name = line.strip();
            if (!name.isEmpty()) {
                Path p = Path.of(name);
                files.add(p.isAbsolute() ? p : dir.resolve(p).normalize());
            }
        }
        if (files.isEmpty()) {
            throw new IOException("relay-log index " + indexFile + " lists no relay-log files");
        }
        return new RelayLogIndex(indexFile, List.copyOf(files));
    }

    public String describe() {
        return files.size() == 1 ? files.get(0).getFileName().toString()
                : files.get(0).getFileName() + " … " + files.get(files.size() - 1).getFileName() + " (" + files.size() + " files)";
    }
}
