package dev.universerelay.console;

import dev.universerelay.cluster.ClusterConfiguration;
import dev.universerelay.limits.RefusalReason;
import dev.universerelay.metrics.UniverseTraffic;
import dev.universerelay.metrics.UniverseTrafficTable;
import dev.universerelay.recording.Recordings;
import dev.universerelay.transport.ConnectionDrainer;
import dev.universerelay.transport.DrainState;
import dev.universerelay.transport.LiveConnections;
import dev.universerelay.universe.Cluster;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import dev.universerelay.universe.UniverseSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes this node's sample once a second for the operator console: rates from the Prometheus
 * counters (read, never added to), the p99 of the fan-out timer over the last second (from the
 * difference of its histogram buckets), per-universe rates from {@link UniverseTrafficTable}. It
 * keeps the last 15 minutes of every node's samples ({@link SampleHistory}), publishes its own
 * status for the other nodes and reads theirs ({@link NodeBoard}), and carries out a drain another
 * node's console asked for. Nothing here runs on the hot path.
 */
@Singleton
public final class NodeSampler {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSampler.class);
    /** Universes a node publishes and the console lists: the busiest, by players. */
    public static final int TOP_UNIVERSES = 100;
    /** Samples kept per node: 15 minutes of one-second samples. */
    static final int HISTORY = 900;
    /** Nodes the console follows at most. */
    static final int MAX_NODES = 64;
    /** A node whose status is older than this (or than the cluster's node TTL, if longer) is shown as lost: three missed samples. */
    static final long MIN_LOST_AFTER_MILLIS = 3_000;
    static final String READY = "ready";
    static final String DRAINING = "draining";
    static final String NOT_READY = "not-ready";
    static final String LOST = "lost";
    /** A universe's recording state while this node records it (absent: not recording here). */
    public static final String RECORDING = "recording";

    private final MeterRegistry meters;
    private final UniverseRegistry registry;
    private final UniverseTrafficTable traffic;
    private final LiveConnections connections;
    private final DrainState drain;
    private final ConnectionDrainer drainer;
    private final Cluster cluster;
    private final NodeBoard board;
    private final Recordings recordings;
    private final long lostAfterMillis;
    private final SampleHistory history = new SampleHistory(HISTORY, MAX_NODES);

    private long lastAt;
    private double[] lastTotals = new double[5];
    private final IntervalPercentile fanout = new IntervalPercentile(0.99);
    private Map<String, UniverseTraffic.Totals> lastUniverseTotals = Map.of();
    private volatile Map<String, NodeStatus> latest = Map.of();

    NodeSampler(MeterRegistry meters, UniverseRegistry registry, UniverseTrafficTable traffic, LiveConnections connections,
                DrainState drain, ConnectionDrainer drainer, Cluster cluster, NodeBoard board, ClusterConfiguration config,
                Recordings recordings) {
        this.recordings = recordings;
        this.lostAfterMillis = Math.max(MIN_LOST_AFTER_MILLIS, config.nodeTtl().toMillis());
        this.meters = meters;
        this.registry = registry;
        this.traffic = traffic;
        this.connections = connections;
        this.drain = drain;
        this.drainer = drainer;
        this.cluster = cluster;
        this.board = board;
    }

    public String nodeId() {
        return board.nodeId();
    }

    /** The latest status of every node known, this one first. */
    public List<NodeStatus> nodes() {
        return List.copyOf(latest.values());
    }

    /** Every node's samples after {@code since} (epoch milliseconds). */
    public List<NodeSeries> history(long since) {
        return history.since(since);
    }

    /** Asks a node to drain: this one at once, another through the board at its next sample. */
    public boolean drain(String node, String requestedBy) {
        if (node.equals(board.nodeId())) {
            drainer.drain();
            return true;
        }
        return board.requestDrain(node, requestedBy);
    }

    @Scheduled(fixedRate = "1s", initialDelay = "1s")
    void sample() {
        try {
            sampleOnce(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.warn("console: sampling failed ({})", e.toString());
        }
    }

    /** One sample; {@code now} in epoch milliseconds. */
    synchronized void sampleOnce(long now) {
        double seconds = lastAt == 0 ? 1 : Math.max(0.001, (now - lastAt) / 1000.0);
        boolean first = lastAt == 0;
        lastAt = now;

        double[] totals = {sum("relay.messages.received"), sum("relay.messages.sent"), sum("relay.bytes.received"),
                sum("relay.bytes.sent"), sum("relay.refusals")};
        double[] rates = new double[totals.length];
        for (int i = 0; i < totals.length; i++) {
            rates[i] = first ? 0 : Math.max(0, totals[i] - lastTotals[i]) / seconds;
        }
        lastTotals = totals;

        List<UniverseRow> rows = universeRows(seconds);
        int players = 0;
        int entities = 0;
        for (UniverseRow row : rows) {
            players += row.players();
            entities += row.entities();
        }
        int universeCount = rows.size();
        if (rows.size() > TOP_UNIVERSES) {
            rows = List.copyOf(rows.subList(0, TOP_UNIVERSES));
        }
        NodePoint point = new NodePoint(now, connections.size(), players, rates[0], rates[1], rates[2], rates[3],
                fanoutP99Micros(), rates[4]);
        String state = drain.isDraining() ? DRAINING : cluster.isReady() ? READY : NOT_READY;
        NodeStatus mine = new NodeStatus(board.nodeId(), state, point, universeCount, entities, refusalsByReason(), rows);
        history.record(mine.node(), point);

        Map<String, NodeStatus> nodes = new LinkedHashMap<>();
        nodes.put(mine.node(), mine);
        // the board is not asked while the cluster cannot reach Redis: the scheduler's thread must not wait on it
        if (!cluster.isReady()) {
            latest = nodesWithOthersLost(mine, now);
            return;
        }
        try {
            board.publish(mine);
            for (NodeStatus other : board.others(MAX_NODES)) {
                if (nodes.containsKey(other.node())) {
                    continue;
                }
                boolean lost = now - other.latest().at() > lostAfterMillis;
                nodes.put(other.node(), lost ? other.lost() : other);
                if (!lost) {
                    history.record(other.node(), other.latest());
                }
            }
            String drainRequest = board.takeDrainRequest();
            if (drainRequest != null) {
                LOG.info("drain of node={} requested by admin={} from another node's console", board.nodeId(), drainRequest);
                drainer.drain();
            }
        } catch (RuntimeException e) { // Redis unreachable: this node's own status is still shown
            LOG.debug("console: node board unreachable ({})", e.toString());
        }
        latest = nodes;
    }

    /** This node's status, and the others as last seen, all lost once their status is old enough. */
    private Map<String, NodeStatus> nodesWithOthersLost(NodeStatus mine, long now) {
        Map<String, NodeStatus> nodes = new LinkedHashMap<>();
        nodes.put(mine.node(), mine);
        for (NodeStatus other : latest.values()) {
            if (!other.node().equals(mine.node())) {
                nodes.put(other.node(), now - other.latest().at() > lostAfterMillis ? other.lost() : other);
            }
        }
        return nodes;
    }

    private List<UniverseRow> universeRows(double seconds) {
        Map<String, UniverseTraffic> counters = traffic.snapshot();
        Map<String, UniverseTraffic.Totals> totals = new HashMap<>();
        List<UniverseRow> rows = new ArrayList<>();
        for (Universe universe : registry.all()) {
            UniverseSummary s = universe.summary();
            UniverseTraffic t = counters.get(s.name());
            UniverseTraffic.Totals now = t == null ? new UniverseTraffic.Totals(0, 0, 0, 0) : t.totals();
            UniverseTraffic.Totals before = lastUniverseTotals.getOrDefault(s.name(), now);
            totals.put(s.name(), now);
            rows.add(new UniverseRow(s.name(), s.players(), s.spectators(), s.entities(),
                    rate(now.eventsIn(), before.eventsIn(), seconds), rate(now.eventsOut(), before.eventsOut(), seconds),
                    rate(now.bytesIn(), before.bytesIn(), seconds), rate(now.bytesOut(), before.bytesOut(), seconds),
                    recordings.isRecording(s.name()) ? RECORDING : null, List.of(board.nodeId())));
        }
        lastUniverseTotals = totals;
        traffic.retainOnly(name -> registry.find(name).isPresent());
        rows.sort(Comparator.comparingInt(UniverseRow::players).reversed().thenComparing(UniverseRow::name));
        return rows;
    }

    private static double rate(long now, long before, double seconds) {
        return Math.max(0, now - before) / seconds;
    }

    private double sum(String counter) {
        double total = 0;
        var search = meters.find(counter);
        for (Counter c : search.counters()) {
            total += c.count();
        }
        for (FunctionCounter c : search.functionCounters()) { // the hot counters of RelayMetrics
            total += c.count();
        }
        return total;
    }

    private Map<String, Long> refusalsByReason() {
        Map<String, Long> result = new LinkedHashMap<>();
        for (RefusalReason reason : RefusalReason.values()) {
            Counter c = meters.find("relay.refusals").tag("reason", reason.label()).counter();
            result.put(reason.label(), c == null ? 0 : (long) c.count());
        }
        return result;
    }

    private double fanoutP99Micros() {
        Timer timer = meters.find("relay.fanout").timer();
        return timer == null ? 0 : fanout.micros(timer);
    }
}
