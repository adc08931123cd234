package io.mhaserverless.core.failover;

import java.util.List;
import java.util.Optional;

/**
 * The phases that run as one Task each, in the order of asl.json. RecoverReplicas is not among
 * them: it is a Map state whose iterations call {@link RecoverReplicas} per replica. The order and
 * the transitions between them live in asl.json alone.
 */
public final class Phases {

    public static final List<Phase> TASKS = List.of(
            new CheckConfiguration(),
            new FenceDeadMaster(),
            new FindLatestReplicas(),
            new SaveDeadMasterBinlog(),
            new SelectNewMaster(),
            new RecoverNewMaster(),
            new MoveWriterIp(),
            new Cleanup());

    private Phases() {
    }

    public static Phase of(PhaseName name) {
        return byStateName(name.stateName()).orElseThrow(() -> new IllegalArgumentException(name + " is not a Task phase"));
    }

    public static Optional<Phase> byStateName(String name) {
        return TASKS.stream().filter(p -> p.name().stateName().equals(name)).findFirst();
    }

    /** What the report says about an exception: our own messages as they are, anything else with its type. */
    public static String errorMessage(RuntimeException e) {
        return e instanceof FailoverException ? e.getMessage() : e.toString();
    }
}
