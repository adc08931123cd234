package io.mhaserverless.core.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws a topology the way MHA does:
 * <pre>
 * db1(127.0.0.1:13306) (current master)
 *  +--db2(127.0.0.1:13307)
 *  +--db3(127.0.0.1:13308)
 * </pre>
 * Replicas of replicas hang under their source; servers outside the tree follow, marked.
 */
public final class TopologyTree {

    private TopologyTree() {
    }

    public static String render(Topology topology) {
        List<String> lines = new ArrayList<>();
        Set<ServerState> drawn = new HashSet<>();
        topology.master().server().ifPresent(m -> {
            lines.add(m.label() + " (current master" + (m.alive() ? "" : ", dead") + ")");
            drawn.add(m);
            children(topology, m, " ", lines, drawn);
        });
        for (ServerState s : topology.servers()) {
            if (drawn.add(s)) {
                String note = !s.alive() ? "dead"
                        : s.replica().map(r -> "replicates from " + topology.sourceOf(s).map(ServerState::label)
                                .orElse(r.sourceAddress())).orElse("not a replica");
                lines.add(s.label() + " (" + note + ")");
                children(topology, s, " ", lines, drawn);
            }
        }
        return String.join("\n", lines);
    }

    private static void children(Topology topology, ServerState parent, String indent, List<String> lines, Set<ServerState> drawn) {
        for (ServerState s : topology.servers()) {
            if (s != parent && !drawn.contains(s) && topology.sourceOf(s).map(src -> src == parent).orElse(false)) {
                drawn.add(s);
                lines.add(indent + "+--" + s.label() + (s.alive() ? "" : " (dead)"));
                children(topology, s, indent + "    ", lines, drawn);
            }
        }
    }
}
