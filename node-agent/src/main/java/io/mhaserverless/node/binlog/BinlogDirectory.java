package io.mhaserverless.node.binlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The binlog files {@code <prefix>.<number>} of a directory, in sequence-number order. */
public record BinlogDirectory(Path directory, String prefix, List<BinlogFileName> files) {

    private static final Comparator<BinlogFileName> BY_SEQUENCE = new Comparator<>() {
        @Override
        public int compare(BinlogFileName a, BinlogFileName b) {
            return Long.compare(a.sequence(), b.sequence());
        }
    };

    public static BinlogDirectory scan(Path directory, String prefix) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "binlog directory does not exist");
        }
        // A loop, not a stream of lambdas: the agent's start path is on a failover's critical path, and the first
        // lambda a JVM links costs it about 10 ms of method-handle spinning that no class-data archive holds.
        List<BinlogFileName> files = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> list = Files.newDirectoryStream(directory)) {
            for (Path p : list) {
                Optional<BinlogFileName> f = BinlogFileName.parse(p.getFileName().toString());
                if (f.isPresent() && f.get().prefix().equals(prefix) && Files.isRegularFile(p)) {
                    files.add(f.get());
                }
            }
        }
        files.sort(BY_SEQUENCE);
        return new BinlogDirectory(directory, prefix, List.copyOf(files));
    }

    public Path path(BinlogFileName file) {
        return directory.resolve(file.name());
    }

    public int indexOf(String name) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** "mysql-bin.000001 … mysql-bin.000004" for messages. */
    public String describe() {
        if (files.isEmpty()) {
            return "no " + prefix + ".NNNNNN files";
        }
        return files.size() == 1 ? files.get(0).name()
                : files.get(0).name() + " … " + files.get(files.size() - 1).name() + " (" + files.size() + " files)";
    }
}
