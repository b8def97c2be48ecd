package dev.universerelay.console;

import java.util.List;

/**
 * Where nodes leave their status for each other's consoles, and drain requests for each other:
 * nothing on a single node, a Redis hash in cluster mode ({@code cluster.RedisNodeBoard}). Called
 * by the sampler's thread once a second, never on the hot path.
 */
public interface NodeBoard {

    /** This node's name (the cluster's node id in cluster mode). */
    String nodeId();

    /** Leaves this node's latest status for the others. */
    void publish(NodeStatus mine);

    /** The latest statuses the other nodes left, at most {@code max}, with the epoch milliseconds of each. */
    List<NodeStatus> others(int max);

    /** Asks another node to drain; false when it is not known. */
    boolean requestDrain(String node, String requestedBy);

    /** Who asked this node to drain since the last call, or null. */
    String takeDrainRequest();

    /** A single node: nothing to share. */
    static NodeBoard alone(String nodeId) {
        return new NodeBoard() {
            @Override
            public String nodeId() {
                return nodeId;
            }

            @Override
            public void publish(NodeStatus mine) {
            }

            @Override
            public List<NodeStatus> others(int max) {
                return List.of();
            }

            @Override
            public boolean requestDrain(String node, String requestedBy) {
                return false;
            }

            @Override
            public String takeDrainRequest() {
                return null;
            }
        };
    }
}
