package io.mhaserverless.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ConfigLoader;
import io.mhaserverless.core.failover.Progress;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.functions.aws.AwsClients;
import io.mhaserverless.functions.aws.ExecutionRedrive;
import io.mhaserverless.local.LocalFailover;
import io.mhaserverless.local.LocalWorkflowRuntime;
import io.mhaserverless.local.adapter.ConsoleNotifier;
import io.mhaserverless.local.adapter.FileStateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Finishes an interrupted failover with one command. On AWS: Step Functions' RedriveExecution of the
 * cluster's latest execution when it FAILED, TIMED_OUT or was ABORTED (the console's Redrive
 * button does the same). Locally: the recorded progress is resumed, as a second `mha failover` would.
 */
@Command(name = "redrive",
        mixinStandardHelpOptions = true,
        description = {"Finishes a cluster's interrupted failover from where it stopped, never starting it over.",
                "AWS (--state-machine, default $MHA_STATE_MACHINE_ARN): RedriveExecution of the cluster's latest",
                "execution if it is FAILED, TIMED_OUT or ABORTED. Local (--config): resumes the progress kept in the",
                "state directory (what `mha failover` does too when it finds one)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:redriven (AWS) or finished (local; 10 and 11 as `mha failover`)",
                "1:nothing to redrive, the latest execution is not redrivable, or the resumed failover failed",
                "2:bad input"})
public final class RedriveCommand implements Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "the cluster")
    String cluster;

    @Option(names = "--state-machine", paramLabel = "ARN", defaultValue = "${env:MHA_STATE_MACHINE_ARN}",
            description = "the failover state machine of the deployed stack (region and credentials from the AWS environment)")
    String stateMachine;

    @Option(names = "--config", paramLabel = "FILE", description = "local: the cluster config (YAML or JSON)")
    Path config;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "local: where the progress is kept (default: ~/.mha/state)")
    Path stateDir;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "local: limit of each wait for a replica to apply or catch up (default: ${DEFAULT-VALUE})")
    long waitTimeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StoreOptions.cluster(spec.commandLine(), "--cluster", cluster);
        if (config != null) {
            return local();
        }
        if (stateMachine == null || stateMachine.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --state-machine ARN (or MHA_STATE_MACHINE_ARN) for AWS, or --config FILE for the local runtime");
        }
        if (!stateMachine.startsWith("arn:") || !stateMachine.contains(":stateMachine:")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--state-machine: not a state machine ARN: '" + stateMachine + "'");
        }
        try (SfnClient sfn = AwsClients.fromEnvironment().sfn()) {
            ExecutionRedrive.Outcome outcome = new ExecutionRedrive(sfn).redrive(stateMachine, cluster);
            (outcome.redriven() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println("mha redrive: " + outcome.message());
            return outcome.redriven() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private int local() {
        PrintWriter out = spec.commandLine().getOut();
        ClusterConfig cluster = ConfigLoader.load(config);
        if (!cluster.cluster().equals(this.cluster)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cluster " + this.cluster + " but " + config + " configures cluster "
                    + cluster.cluster());
        }
        FileStateStore store = LocalRun.store(stateDir);
        Optional<StateStore.Progress> progress = store.progress(this.cluster);
        if (progress.isEmpty()) {
            spec.commandLine().getErr().println("mha redrive: cluster " + this.cluster + " has no unfinished failover in " + store
                    + ": nothing to resume");
            return ExitCodes.FAILED;
        }
        JsonNode input;
        try {
            input = FailoverWorkflow.json().readTree(progress.get().document()).path("input");
        } catch (IOException e) {
            throw new UncheckedIOException("the recorded progress of " + this.cluster + " is not JSON", e);
        }
        Progress printer = FailoverCommand.printer(out);
        ConsoleNotifier notifier = new ConsoleNotifier(out, Optional.empty());
        LocalWorkflowRuntime runtime = LocalRun.runtime(cluster, config, FailoverCommand.localAgent(cluster, stateDir), store, notifier,
                printer, waitTimeoutSeconds);
        LocalFailover.Result result = LocalFailover.bundled().run(input, runtime, printer);
        LocalRun.forgetWorkDirectoryOnceFinished(store, stateDir, this.cluster);
        return LocalRun.exitCode("redrive", result, notifier, spec.commandLine().getErr());
    }
}
