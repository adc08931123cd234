package io.mhaserverless.local;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The execution ARN of a local failover names the process that runs it ({@code host.pid.uuid}), so
 * that a later `mha failover` can tell a running controller from a killed one before it takes over
 * the killed one's lock.
 */
record LocalExecutionId(String host, long pid, String uuid) {

    static final String PREFIX = "arn:aws:states:local:000000000000:execution:mha-failover:";
    private static final Pattern ARN = Pattern.compile(Pattern.quote(PREFIX) + "([A-Za-z0-9-]+)\\.(\\d+)\\.([0-9a-f-]{36})");

    static LocalExecutionId ofThisProcess() {
        return new LocalExecutionId(thisHost(), ProcessHandle.current().pid(), UUID.randomUUID().toString());
    }

    static Optional<LocalExecutionId> parse(String arn) {
        Matcher m = ARN.matcher(arn);
        return m.matches() ? Optional.of(new LocalExecutionId(m.group(1), Long.parseLong(m.group(2)), m.group(3))) : Optional.empty();
    }

    String arn() {
        return PREFIX + host + "." + pid + "." + uuid;
    }

    /** Surely gone: it ran on this host and its process no longer exists (elsewhere nobody can tell). */
    boolean goneFromThisHost() {
        return host.equals(thisHost()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    static String thisHost() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            String clean = name.replaceAll("[^A-Za-z0-9-]", "-");
            return clean.isEmpty() ? "localhost" : clean;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
