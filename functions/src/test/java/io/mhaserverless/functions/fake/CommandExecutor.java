package io.mhaserverless.functions.fake;

import java.util.List;
import java.util.Map;

/**
 * What "running the SSM document on the instance" does in the fake: canned answers, or the real
 * node agent as a local process ({@link NodeAgentDocument}). Runs on a fake-side thread while the
 * client polls GetCommandInvocation.
 */
@FunctionalInterface
public interface CommandExecutor {

    CommandResult execute(String instanceId, Map<String, List<String>> parameters) throws Exception;

    /** How an invocation ended, as GetCommandInvocation reports it. */
    record CommandResult(String status, String statusDetails, int responseCode, String stdout, String stderr) {

        /** Still running, forever (until cancelled): exercises the caller's deadline. */
        public static final CommandResult RUNNING = new CommandResult("InProgress", "InProgress", -1, "", "");

        public static CommandResult success(String stdout) {
            return new CommandResult("Success", "Success", 0, stdout, "");
        }

        /** A process exit: 0 is Success, anything else Failed with that ResponseCode. */
        public static CommandResult exit(int code, String stdout, String stderr) {
            return code == 0 ? new CommandResult("Success", "Success", 0, stdout, stderr)
                    : new CommandResult("Failed", "Failed", code, stdout, stderr);
        }

        /** SSM could not hand the command to the instance's agent. */
        public static CommandResult undeliverable() {
            return new CommandResult("Failed", "Undeliverable", -1, "", "");
        }

        public static CommandResult deliveryTimedOut() {
            return new CommandResult("TimedOut", "DeliveryTimedOut", -1, "", "");
        }

        public static CommandResult executionTimedOut() {
            return new CommandResult("TimedOut", "ExecutionTimedOut", -1, "", "");
        }
    }
}
