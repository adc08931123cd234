package io.mhaserverless.cli;

import io.mhaserverless.core.config.ConfigException;
import io.mhaserverless.core.topology.DiscoveryException;
import picocli.CommandLine;

/**
 * Bad input ends in one line on stderr that names what to fix, and exit 2; nothing else is printed
 * and nothing has been changed on any server. Anything unexpected is a failure (exit 1) with its
 * stack trace, because that is a bug to report.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof ConfigException || e instanceof DiscoveryException) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof io.mhaserverless.functions.aws.AwsFailure aws) {
            // the AWS call failed (permissions, missing parameter, throttling): the operation failed, not our code
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + aws.getMessage());
            return ExitCodes.FAILED;
        }
        cmd.getErr().println("mha " + cmd.getCommandName() + ": unexpected error: " + e);
        e.printStackTrace(cmd.getErr());
        return ExitCodes.FAILED;
    }
}
