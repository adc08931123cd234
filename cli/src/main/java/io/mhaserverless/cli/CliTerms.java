package io.mhaserverless.cli;

import io.mhaserverless.core.port.Notifier;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workflow's messages name the fields of the execution input ({@code deadMaster},
 * {@code newMaster}, {@code force=true}, {@code ignoreLastFailover=true}): what a Step Functions
 * user types, and what the SNS report says. Someone at this command line typed flags, so what this
 * command prints names the flags instead.
 */
final class CliTerms {

    private static final Map<String, String> FLAGS = Map.of(
            "deadMaster", "--dead-master",
            "newMaster", "--new-master",
            "force=true", "--force-with-possible-data-loss",
            "ignoreLastFailover=true", "--ignore-last-failover",
            "origMasterIsNewSlave", "--orig-master-is-new-slave",
            "runningUpdatesLimit", "--running-updates-limit");
    // A quoted name is the input field itself (InputRejected names it so, JSON keys are so), not a
    // term to translate; nor is a name that is part of a longer one (a host db1.newMaster.internal).
    private static final Pattern FIELD = Pattern.compile(
            "(?<!['\"\\w.])(deadMaster|newMaster|force=true|ignoreLastFailover=true|origMasterIsNewSlave|runningUpdatesLimit)"
                    + "(?![\"'\\w.])");

    private CliTerms() {
    }

    static String of(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FIELD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(FLAGS.get(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    /** The report as this command prints it; its JSON keeps the workflow's field names. */
    static Notifier notifier(Notifier printed) {
        return (subject, text, json) -> printed.publish(of(subject), of(text), json);
    }
}
