package dev.universerelay.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@code capacity} samples of each node (15 minutes of one-second samples by default),
 * for the console's charts: bounded per node and in nodes (the node heard from least recently is
 * forgotten first). Written by the sampler once a second, read by console requests.
 */
final class SampleHistory {
    private final int capacity;
    private final int maxNodes;
    private final Map<String, ArrayDeque<NodePoint>> byNode = new LinkedHashMap<>(16, 0.75f, true);

    SampleHistory(int capacity, int maxNodes) {
        this.capacity = capacity;
        this.maxNodes = maxNodes;
    }

    /** Adds a node's sample unless it is not newer than the last one kept. */
    synchronized void record(String node, NodePoint point) {
        ArrayDeque<NodePoint> points = byNode.get(node);
        if (points == null) {
            if (byNode.size() >= maxNodes) {
                Iterator<String> eldest = byNode.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            points = new ArrayDeque<>();
            byNode.put(node, points);
        }
        if (!points.isEmpty() && points.peekLast().at() >= point.at()) {
            return;
        }
        if (points.size() >= capacity) {
            points.pollFirst();
        }
        points.addLast(point);
    }

    /** Every node's samples taken after {@code since} (epoch milliseconds), oldest first. */
    synchronized List<NodeSeries> since(long since) {
        List<NodeSeries> result = new ArrayList<>();
        for (Map.Entry<String, ArrayDeque<NodePoint>> e : byNode.entrySet()) {
            List<NodePoint> points = new ArrayList<>();
            for (NodePoint p : e.getValue()) {
                if (p.at() > since) {
                    points.add(p);
                }
            }
            result.add(new NodeSeries(e.getKey(), points));
        }
        result.sort((a, b) -> a.node().compareTo(b.node()));
        return result;
    }
}
