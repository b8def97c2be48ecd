package dev.universerelay.console;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * The latest state of one node as the console shows it, and what a node publishes for the other
 * nodes' consoles in cluster mode ({@link NodeBoard}).
 *
 * @param state        {@code ready}, {@code draining}, {@code not-ready} (cannot reach the other
 *                     nodes) or {@code lost} (its status stopped arriving; set by the reader)
 * @param refusals     refused clients and abuse closes since the node started, by reason
 *                     ({@code limits.RefusalReason} labels)
 * @param universes    the node's busiest universes, at most {@link NodeSampler#TOP_UNIVERSES}
 * @param universeCount how many universes the node serves in all
 */
@Serdeable
public record NodeStatus(String node, String state, NodePoint latest, int universeCount, int entities,
                         Map<String, Long> refusals, List<UniverseRow> universes) {

    /** The same status without its universe list (the overview lists nodes, not universes). */
    public NodeStatus withoutUniverses() {
        return new NodeStatus(node, state, latest, universeCount, entities, refusals, List.of());
    }

    /** The same status, seen as lost by a reader that no longer gets it. */
    NodeStatus lost() {
        return new NodeStatus(node, NodeSampler.LOST, latest, universeCount, entities, refusals, universes);
    }
}
