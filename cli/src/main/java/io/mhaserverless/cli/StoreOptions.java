package io.mhaserverless.cli;

import io.mhaserverless.core.config.Names;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.functions.aws.AwsClients;
import io.mhaserverless.functions.aws.DynamoDbStateStore;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where a command reads the cluster's records: the deployed stack's DynamoDB table, or the local state directory. */
final class StoreOptions {

    @Option(names = "--table", paramLabel = "TABLE",
            description = "the DynamoDB table of the deployed stack (region and credentials from the AWS environment)")
    String table;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "the local runtime's state (default: ~/.mha/state)")
    Path stateDir;

    StateStore open(CommandLine cmd) {
        if (table != null && stateDir != null) {
            throw new CommandLine.ParameterException(cmd, "--table and --state-dir exclude each other");
        }
        return table != null
                ? new DynamoDbStateStore(AwsClients.fromEnvironment().dynamoDb(), table)
                : LocalRun.store(stateDir);
    }

    static String cluster(CommandLine cmd, String option, String cluster) {
        if (!Names.valid(cluster)) {
            throw new CommandLine.ParameterException(cmd, option + ": not a cluster name: '" + cluster + "' (" + Names.RULE + ")");
        }
        return cluster;
    }
}
