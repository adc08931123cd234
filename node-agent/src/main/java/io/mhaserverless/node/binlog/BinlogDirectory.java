package io.mhaserverless.node.binlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The binlog files {@code <prefix>.<number>} of a directory, in sequence-number order. */
public record BinlogDirectory(Path directory, String prefix, List<BinlogFileName> files) {

    public static BinlogDirectory scan(Path directory, String prefix) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "binlog directory does not exist");
        }
        List<BinlogFileName> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(Files::isRegularFile)
                    .map(p -> BinlogFileName.parse(p.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .filter(f -> f.prefix().equals(prefix))
                    .sorted(Comparator.comparingLong(BinlogFileName::sequence))
                    .toList();
        }
        return new BinlogDirectory(directory, prefix, files);
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
