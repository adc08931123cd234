package io.mhaserverless.node;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** io.debezium:mysql-binlog-connector-java, a parser written by others, as a second reader of the files the agent writes. */
final class IndependentParser {

    private IndependentParser() {
    }

    /** Every event it reads, the format description included; fails if it cannot read the file to its end. */
    static long events(Path file) {
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        long n = 0;
        try (InputStream in = Files.newInputStream(file); BinaryLogFileReader reader = new BinaryLogFileReader(in, deserializer)) {
            for (Event e = reader.readEvent(); e != null; e = reader.readEvent()) {
                n++;
            }
        } catch (IOException e) {
            throw new AssertionError("debezium's reader fails on " + file + ": " + e, e);
        }
        return n;
    }
}
