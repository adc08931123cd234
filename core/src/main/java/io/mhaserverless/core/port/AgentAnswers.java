package io.mhaserverless.core.port;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mhaserverless.core.config.ServerConfig;
import io.mhaserverless.core.mysql.BinlogCoordinates;
import io.mhaserverless.core.port.NodeAgent.Applied;
import io.mhaserverless.core.port.NodeAgent.Failed;
import io.mhaserverless.core.port.NodeAgent.RelayDiff;
import io.mhaserverless.core.port.NodeAgent.SavedBinlog;
import io.mhaserverless.node.protocol.AgentCall;
import io.mhaserverless.node.protocol.ApplyDiffAnswer;
import io.mhaserverless.node.protocol.ExitCodes;
import io.mhaserverless.node.protocol.SaveBinlogAnswer;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code NodeAgent} port in terms of the agent's protocol, for both of its adapters (SSM in
 * functions/, the local process in local-runtime/): the calls built from the port's types
 * and the answers read back into them. Only the transport differs between the two.
 */
public final class AgentAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentAnswers() {
    }

    /** An answer: exit 0, or an exit that {@link ExitCodes#isAnswer} accepts, with the agent's JSON object. */
    public record Reply(int exit, JsonNode json) {

        public <T> T as(Class<T> answer) {
            try {
                return JSON.treeToValue(json, answer);
            } catch (JsonProcessingException e) {
                throw new Failed("the node agent's answer is not a " + answer.getSimpleName() + ": " + e.getOriginalMessage());
            }
        }
    }

    /**
     * How an invocation ended, read: an answer, or {@link Failed} with the agent's error (else the
     * last line of its stderr).
     *
     * @param where "node agent save-binlog on db1 …", the start of every message
     * @param how   how it ended when that is a failure, "exited 1 (SSM command …)"
     */
    public static Reply reply(String subcommand, int exit, String stdout, String stderr, String where, String how) {
        JsonNode json = agentJson(stdout);
        if (ExitCodes.isAnswer(subcommand, exit)) {
            if (json == null) {
                throw new Failed(where + " printed no JSON; " + how);
            }
            return new Reply(exit, json);
        }
        String error = json == null ? "" : json.path("error").asText("");
        if (error.isEmpty()) {
            error = lastLine(stderr);
        }
        String message = where + " " + how + (error.isEmpty() ? "" : ": " + error);
        if (exit == ExitCodes.POSITION_NOT_FOUND) {
            throw new NodeAgent.NotInRelayLogs(message);
        }
        if (exit == ExitCodes.NOT_SAVED && io.mhaserverless.node.protocol.Subcommand.SAVE_BINLOG.equals(subcommand)) {
            throw new NodeAgent.NotSaved(message);
        }
        throw new Failed(message);
    }

    public static AgentCall applyDiffCall(Optional<RelayDiff> relayDiff, Optional<String> savedBinlog, ServerConfig target,
                                          Optional<String> targetHas, Duration timeout) {
        return AgentCall.applyDiff(target.host(), target.port(),
                relayDiff.map(d -> new AgentCall.RelayRange(d.relayLogIndex(), d.from().toString(), d.until().map(Object::toString))),
                savedBinlog, targetHas, timeout.toSeconds());
    }

    public static AgentCall findRelayPositionCall(String relayLogIndex, BinlogCoordinates position) {
        return AgentCall.findRelayPosition(relayLogIndex, position.file(), position.position());
    }

    /** @param call the save-binlog call that was answered (its --out names the file when the answer does not) */
    public static SavedBinlog savedBinlog(Reply reply, AgentCall call, BinlogCoordinates from) {
        if (reply.exit() == ExitCodes.NOTHING_NEWER) {
            return new SavedBinlog(true, null, 0, 0, 0, from, from, false, "");
        }
        SaveBinlogAnswer a = reply.as(SaveBinlogAnswer.class);
        String out = a.out() != null ? a.out() : call.arguments().get(call.arguments().indexOf("--out") + 1);
        BinlogCoordinates lastEnd = a.lastFile() == null ? from : new BinlogCoordinates(a.lastFile(), a.lastEndPos());
        return new SavedBinlog(false, out, a.bytes(), a.events(), a.transactions(), from, lastEnd, a.truncatedTail(),
                a.gtids() == null ? "" : a.gtids());
    }

    /** save-binlog --apply-to {@code target}: the agent's own limit for the apply is {@code timeout}. */
    public static AgentCall saveAndApplyCall(String binlogDir, String binlogPrefix, BinlogCoordinates from, String out,
                                             ServerConfig target, Optional<String> targetHas, Duration timeout) {
        return AgentCall.saveBinlogAndApply(binlogDir, binlogPrefix, from.toString(), out, target.host(), target.port(), targetHas,
                timeout.toSeconds());
    }

    public static NodeAgent.SavedAndApplied savedAndApplied(Reply reply, AgentCall call, BinlogCoordinates from) {
        SavedBinlog saved = savedBinlog(reply, call, from);
        if (reply.exit() == ExitCodes.NOTHING_NEWER) {
            return new NodeAgent.SavedAndApplied(saved, new Applied(0, 0, 0));
        }
        SaveBinlogAnswer a = reply.as(SaveBinlogAnswer.class);
        if (a.appliedTo() == null) {
            throw new Failed("node agent save-binlog answered without appliedTo: an agent older than --apply-to?");
        }
        return new NodeAgent.SavedAndApplied(saved, new Applied(a.appliedEvents(), a.appliedTransactions(), 0));
    }

    public static NodeAgent.SelfCheck selfCheck(Reply reply) {
        io.mhaserverless.node.protocol.SelfCheckAnswer a = reply.as(io.mhaserverless.node.protocol.SelfCheckAnswer.class);
        return new NodeAgent.SelfCheck(a.version(), Optional.ofNullable(a.binlogDir()).filter(d -> !d.isEmpty()), a.binlogFiles());
    }

    public static Applied applied(Reply reply) {
        ApplyDiffAnswer a = reply.as(ApplyDiffAnswer.class);
        return new Applied(a.events(), a.transactions(), a.bytes());
    }

    /**
     * The agent prints exactly one JSON object; the SSM document may add lines of its own (fetching
     * the secret, say), so the last line that is a JSON object is the agent's.
     */
    public static JsonNode agentJson(String stdout) {
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("{")) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node != null && node.isObject()) {
                        return node;
                    }
                } catch (JsonProcessingException notJson) {
                    // keep looking upwards
                }
            }
        }
        try {
            JsonNode whole = JSON.readTree(stdout.strip());
            return whole != null && whole.isObject() ? whole : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
