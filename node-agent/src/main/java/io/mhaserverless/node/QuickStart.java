package io.mhaserverless.node;

import io.mhaserverless.node.binlog.SourceCoordinate;
import io.mhaserverless.node.protocol.Subcommand;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The start path of the calls a failover waits for, without picocli: {@code check-master} and
 * {@code save-binlog} (with {@code --check}, or {@code --apply-to}) with plain arguments. Every agent call is a fresh JVM, and building picocli's
 * model of a command (annotations read by reflection, about 170 classes that a class-data archive
 * cannot hold because picocli is compiled for Java 5) cost about half of such a call's start.
 *
 * <p>It only ever handles the arguments picocli would accept as they are: anything else (help,
 * a missing, repeated, unknown or malformed option, {@code @file}, {@code --}, a usage error the
 * command finds) goes to picocli, which stays the one place for usage text and errors. The
 * system property {@value #SWITCH}{@code =false} sends every call to picocli (to compare the two).
 */
final class QuickStart {

    /** {@code -Dmha.agent.quick-start=false}: always picocli. */
    static final String SWITCH = "mha.agent.quick-start";

    /** {@link #run}'s answer when these arguments need picocli. */
    static final int NOT_HANDLED = -1;

    /** A usage error found by a command run without picocli: picocli runs the call again and reports it. */
    static final class NeedsPicocli extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeedsPicocli(String message) {
            super(message, null, false, false);
        }
    }

    private QuickStart() {
    }

    /** Runs the call and returns its exit code, or {@link #NOT_HANDLED} with nothing printed. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || "false".equals(System.getProperty(SWITCH))) {
            return NOT_HANDLED;
        }
        AgentCommand command = switch (args[0]) {
            case Subcommand.CHECK_MASTER -> checkMaster(args);
            case Subcommand.SAVE_BINLOG -> saveBinlog(args);
            default -> null;
        };
        if (command == null) {
            return NOT_HANDLED;
        }
        command.attach(args[0], out, err);
        try {
            return command.call();
        } catch (NeedsPicocli usage) {
            return NOT_HANDLED;
        } catch (Exception e) {
            return FailureAnswer.handle(e, args[0], out, err);
        }
    }

    /** Writers like picocli's own: stdout's encoding, flushed at every line. */
    static PrintWriter writer(OutputStream stream, String encodingProperty) {
        String name = System.getProperty(encodingProperty);
        Charset charset;
        try {
            charset = name == null ? Charset.defaultCharset() : Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
        } catch (IllegalArgumentException unknown) {
            charset = Charset.defaultCharset();
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }

    private static CheckMasterCommand checkMaster(String[] args) {
        Map<String, String> o = options(args, new String[] {"--host", "--port", "--timeout-ms"}, new String[0]);
        if (o == null || !o.containsKey("--host") || !o.containsKey("--port")) {
            return null;
        }
        CheckMasterCommand c = new CheckMasterCommand();
        c.host = o.get("--host");
        Integer port = number(o.get("--port"));
        Integer timeout = number(o.getOrDefault("--timeout-ms", "2000"));
        if (port == null || timeout == null) {
            return null;
        }
        c.port = port;
        c.timeoutMs = timeout;
        return c;
    }

    private static SaveBinlogCommand saveBinlog(String[] args) {
        // --apply-to and its options too: RecoverNewMaster's save-and-apply is the call a writable master waits for
        Map<String, String> o = options(args, new String[] {"--binlog-dir", "--binlog-prefix", "--from", "--from-gtid", "--out",
                "--apply-to", "--skip-gtids", "--credentials-file", "--mysqlbinlog", "--mysql", "--timeout-seconds", "--start-by"},
                new String[] {"--check"});
        if (o == null || !o.containsKey("--binlog-dir") || o.containsKey("--from") == o.containsKey("--from-gtid")) {
            return null;
        }
        SaveBinlogCommand c = new SaveBinlogCommand();
        c.start = new SaveBinlogCommand.StartOption();
        try {
            c.binlogDir = Path.of(o.get("--binlog-dir"));
            c.out = o.containsKey("--out") ? Path.of(o.get("--out")) : null;
            c.start.from = o.containsKey("--from") ? SourceCoordinate.parse(o.get("--from")) : null;
            c.credentialsFile = path(o.get("--credentials-file"));
            c.mysqlbinlog = path(o.get("--mysqlbinlog"));
            c.mysql = path(o.get("--mysql"));
        } catch (IllegalArgumentException malformed) { // InvalidPathException is one
            return null;
        }
        Long timeout = longNumber(o.getOrDefault("--timeout-seconds", "3600"));
        Long startBy = o.containsKey("--start-by") ? longNumber(o.get("--start-by")) : null;
        if (timeout == null || (o.containsKey("--start-by") && startBy == null)) {
            return null;
        }
        c.applyTo = o.get("--apply-to");
        c.skipGtids = o.get("--skip-gtids");
        c.timeoutSeconds = timeout;
        c.startBy = startBy;
        c.start.fromGtid = o.get("--from-gtid");
        c.prefix = o.getOrDefault("--binlog-prefix", "mysql-bin");
        c.check = o.containsKey("--check");
        return c;
    }

    /**
     * {@code --name value} / {@code --name=value} options and bare flags, each at most once; null
     * for anything else, including a value that could be read as an option or an {@code @file}.
     */
    private static Map<String, String> options(String[] args, String[] valued, String[] flags) {
        Map<String, String> found = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value;
            if (contains(flags, name) && eq < 0) {
                value = "true";
            } else if (contains(valued, name)) {
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return null;
                }
                if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                    return null;
                }
            } else {
                return null;
            }
            if (found.put(name, value) != null) {
                return null;
            }
        }
        return found;
    }

    private static boolean contains(String[] names, String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }

    /** A plain decimal int (what picocli surely reads the same way), else null. */
    private static Integer number(String text) {
        return text.length() > 9 ? null : digits(text) ? Integer.valueOf(Integer.parseInt(text)) : null;
    }

    /** A plain decimal long of up to 18 digits, else null. */
    private static Long longNumber(String text) {
        return text.length() > 18 ? null : digits(text) ? Long.valueOf(Long.parseLong(text)) : null;
    }

    private static boolean digits(String text) {
        if (text.isEmpty() || (text.length() > 1 && text.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
