package io.mhaserverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mhaserverless.core.config.ClusterConfig;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.Connector;
import io.mhaserverless.core.mysql.ServerRefusedException;
import io.mhaserverless.core.mysql.ServerSession;
import io.mhaserverless.core.port.StateStore;
import io.mhaserverless.core.port.StateStore.LastFailover;
import io.mhaserverless.core.port.StateStore.Progress;
import io.mhaserverless.core.workflow.FailoverWorkflow;
import io.mhaserverless.local.statemachine.StateMachineDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether `mha failover` finishes an earlier failover of the cluster instead of starting one: a
 * half-done failover is finished, never started over. It is finished when its progress is in the
 * state store and either its controller on this host is gone (killed: its lock is taken over under
 * its own execution id) or it failed (its report went out; it goes on under a new execution id, so
 * that its record says COMPLETED once it is). It goes on from the state after the last one it
 * completed, with the document that state left; that state's phase may have acted in part, and
 * every phase is safe to run twice.
 */
final class Resumption {

    /** An execution to go on with. */
    record Plan(String executionArn, String startAt, JsonNode document, String why) {
    }

    /** Refused: the servers no longer match what the failover recorded. */
    static final class WorldChanged extends RuntimeException {
        WorldChanged(String message) {
            super(message);
        }
    }

    private Resumption() {
    }

    /**
     * @param input the operator's input now: for a failover that failed before it chose a new
     *              master, its {@code newMaster} and {@code force} replace the recorded ones (the
     *              operator reruns to choose differently); later, the recorded choice stands
     */
    static Optional<Plan> plan(StateStore store, StateMachineDefinition definition, String cluster, Duration lockTtl,
                               JsonNode input) {
        Optional<Progress> recorded = store.progress(cluster);
        if (recorded.isEmpty()) {
            releaseDeadOwnersLock(store, cluster);
            return Optional.empty();
        }
        Progress p = recorded.get();
        Optional<LocalExecutionId> owner = LocalExecutionId.parse(p.executionId());
        if (owner.isEmpty() || !definition.hasState(p.completedState())) {
            return Optional.empty(); // an AWS execution's progress: Step Functions redrives it, not this command
        }
        if (!mode(recordedInput(p.document())).equals(mode(input))) {
            return Optional.empty(); // a failover is not finished by `mha switchover`, nor the reverse: the lock says which runs
        }
        boolean failed = store.lastFailover(cluster).map(l -> l.executionId().equals(p.executionId())
                && l.status() == LastFailover.Status.ERROR).orElse(false);
        String arn;
        String why;
        if (failed) {
            arn = LocalExecutionId.ofThisProcess().arn();
            why = "it failed after " + p.completedState();
        } else if (owner.get().goneFromThisHost()) {
            arn = p.executionId();
            why = "its controller (pid " + owner.get().pid() + ") stopped after " + p.completedState();
        } else {
            return Optional.empty(); // still running: the first state will say so (FailoverAlreadyRunning)
        }
        if (!store.lock(cluster, arn, lockTtl)) {
            return Optional.empty();
        }
        String startAt = definition.next(p.completedState());
        ObjectNode document = withResume(p.document(), startAt, "failover " + p.executionId() + " was resumed at " + startAt
                + " by " + arn + ": " + why);
        if (failed) {
            chooseAnew(document, input);
        }
        return Optional.of(new Plan(arn, startAt, document, why));
    }

    /**
     * A lock with no progress beside it: its controller died in the first state before it saved
     * anything, so it changed no server (CheckConfiguration only reads). When that controller is
     * surely gone from this host, its lock goes at once instead of after lockTtl (45 minutes), and
     * this run starts the failover anew.
     */
    static void releaseDeadOwnersLock(StateStore store, String cluster) {
        store.lockOwner(cluster).ifPresent(owner -> {
            if (LocalExecutionId.parse(owner).map(LocalExecutionId::goneFromThisHost).orElse(false)) {
                store.unlock(cluster, owner);
            }
        });
    }

    /**
     * What has to hold for the recorded state to be the truth: the dead master is still dead, and a
     * new master that was chosen still answers. Otherwise an operator must look.
     */
    static void checkWorld(JsonNode document, ClusterConfig config) {
        JsonNode state = document.path("state");
        String dead = state.path("deadMaster").asText(null);
        String chosen = state.path("newMaster").asText(null);
        Connector connector = Connector.forCluster(config);
        if (dead != null && answers(connector, config.server(dead))) {
            throw new WorldChanged("the failover recorded " + dead + " as the dead master, but it answers again; nothing was done."
                    + " Check which server takes writes, then finish by hand (or `mha ack` and start anew).");
        }
        if (chosen != null && !answers(connector, config.server(chosen))) {
            throw new WorldChanged("the failover recorded " + chosen + " as the new master, but it does not answer; nothing was"
                    + " done. Bring it back, or decide by hand which replica becomes master.");
        }
    }

    private static boolean answers(Connector connector, Optional<ServerConfig> server) {
        if (server.isEmpty()) {
            return false;
        }
        try (ServerSession ignored = connector.open(server.get())) {
            return true;
        } catch (ServerRefusedException alive) {
            return true; // it answers, if only to refuse us (MHA counts such a server as alive)
        } catch (Exception e) {
            return false;
        }
    }

    private static String mode(JsonNode input) {
        return input.path("mode").asText("failover").toLowerCase(java.util.Locale.ROOT);
    }

    private static JsonNode recordedInput(String document) {
        try {
            return FailoverWorkflow.json().readTree(document).path("input");
        } catch (IOException e) {
            throw new UncheckedIOException("the recorded progress is not JSON", e);
        }
    }

    /** Until a new master is chosen, the rerun's newMaster and force are the operator's word. */
    private static void chooseAnew(ObjectNode document, JsonNode input) {
        if (!(document.get("state") instanceof ObjectNode state) || !(document.get("input") instanceof ObjectNode recorded)
                || state.hasNonNull("newMaster")) {
            return;
        }
        JsonNode newMaster = input.path("newMaster");
        JsonNode force = input.path("force");
        recorded.set("newMaster", newMaster.isMissingNode() ? null : newMaster);
        state.set("requestedNewMaster", newMaster.isMissingNode() ? null : newMaster);
        recorded.put("force", force.asBoolean(false));
        state.put("force", force.asBoolean(false));
    }

    /** The state's {@code resumes} (a switchover's state has none: it gets the sentence as a warning). */
    private static ObjectNode withResume(String document, String at, String sentence) {
        try {
            ObjectNode doc = (ObjectNode) FailoverWorkflow.json().readTree(document);
            if (doc.path("state") instanceof ObjectNode state) {
                boolean failover = state.has("deadMaster") && state.has("phases");
                String field = failover ? "resumes" : "warnings";
                JsonNode existing = state.path(field);
                ArrayNode list = existing.isArray() ? (ArrayNode) existing : state.putArray(field);
                if (failover) {
                    list.addObject().put("at", at).put("atMillis", System.currentTimeMillis()).put("why", sentence);
                } else {
                    list.add(sentence);
                }
            }
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException("the recorded progress is not JSON", e);
        }
    }
}
