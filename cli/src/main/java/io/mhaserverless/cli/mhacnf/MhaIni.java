package io.mhaserverless.cli.mhacnf;

import io.mhaserverless.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MHA configuration file as MHA reads it (Perl's Config::Tiny): {@code [block]} headers,
 * {@code key=value} lines with the spaces around both trimmed, {@code #} and {@code ;} comment lines.
 * Every value keeps its file and line, so that a complaint can name them.
 */
public record MhaIni(String file, List<Block> blocks) {

    /** One {@code key=value} line. */
    public record Entry(String key, String value, String file, int line) {
        /** {@code app1.cnf:7: ping_interval}: where an operator finds it. */
        public String where() {
            return file + ":" + line + ": " + key;
        }
    }

    /** One {@code [name]} block with its entries in file order; a repeated key keeps the last value (Config::Tiny). */
    public record Block(String name, int line, Map<String, Entry> entries) {
    }

    private static final Pattern COMMENT = Pattern.compile("\\s*(?:[#;].*)?");
    private static final Pattern HEADER = Pattern.compile("\\s*\\[\\s*(.+?)\\s*]\\s*");
    private static final Pattern PAIR = Pattern.compile("\\s*([^=]+?)\\s*=\\s*(.*?)\\s*");

    public static MhaIni read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, path.toString());
    }

    public static MhaIni parse(String text, String file) {
        List<Block> blocks = new ArrayList<>();
        Block current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String l = lines[i];
            if (COMMENT.matcher(l).matches()) {
                continue;
            }
            Matcher h = HEADER.matcher(l);
            if (h.matches()) {
                String name = h.group(1);
                for (Block b : blocks) {
                    if (b.name().equals(name)) {
                        throw new ConfigException(file + ":" + line + ": [" + name + "]: block repeated (first at line " + b.line() + ")");
                    }
                }
                current = new Block(name, line, new LinkedHashMap<>());
                blocks.add(current);
                continue;
            }
            Matcher p = PAIR.matcher(l);
            if (!p.matches()) {
                throw new ConfigException(file + ":" + line + ": not a [block] header nor a key=value line: '" + l.strip() + "'");
            }
            if (current == null) {
                throw new ConfigException(file + ":" + line + ": " + p.group(1) + ": outside any block (start with [server default])");
            }
            current.entries().put(p.group(1), new Entry(p.group(1), p.group(2), file, line));
        }
        return new MhaIni(file, List.copyOf(blocks));
    }

    public Optional<Block> block(String name) {
        return blocks.stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
