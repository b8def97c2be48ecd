package dev.universerelay.cluster;

import dev.universerelay.universe.Cluster;
import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.Replication;
import dev.universerelay.universe.Universe;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Shares universes with the other nodes through one Redis (docs/cluster.md): each universe a node
 * serves is a copy kept current by a pub/sub channel, decisions that must be taken once (player
 * numbers, who leaves, which node is lost, whose grace is over) are Lua scripts, and the state a
 * newly serving node needs is kept in hashes beside the channel.
 *
 * <p>This class only implements the {@link Cluster} port and wires its parts: the connections
 * ({@link RedisConnections}), the typed script calls ({@link RedisScriptCalls}), the subscribed
 * universes ({@link Subscriptions}, {@link RedisReplication}), the writer thread
 * ({@link RedisChangeWriter}) and the heartbeat ({@link ClusterHeartbeat}). Which thread runs what
 * and which locks it takes: docs/architecture.md, "Threads and locks".
 */
@Context
@Requires(property = "relay.cluster.mode", value = "redis")
public final class RedisCluster implements Cluster {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** What a universe's replication and the heartbeat use of the cluster. */
    record Parts(RedisConnections connections, RedisScriptCalls scripts, Subscriptions subscriptions,
                 RedisChangeWriter writer, int idBlock, Duration commandTimeout) {
    }

    private final String nodeId;
    private final Parts parts;
    private final ClusterHeartbeat heartbeat;

    RedisCluster(RedisClient client, ClusterConfiguration config,
                 @Value("${relay.session.resume-grace:10s}") Duration resumeGrace, MeterRegistry meters) {
        if (config.nodeId() != null && !NODE_ID.matcher(config.nodeId()).matches()) {
            throw new IllegalArgumentException("relay.cluster.node-id must be 1 to 64 of A-Z a-z 0-9 _ . - (got \""
                    + config.nodeId() + "\")");
        }
        this.nodeId = config.nodeId() != null ? config.nodeId() : UUID.randomUUID().toString();
        Counter published = Counter.builder("relay.cluster.changes.published")
                .description("Changes of this node's players written to Redis for the other nodes").register(meters);
        Counter received = Counter.builder("relay.cluster.changes.received")
                .description("Changes of other nodes applied to this node's copies of universes").register(meters);
        Counter resyncs = Counter.builder("relay.cluster.resyncs")
                .description("Times this node caught up with Redis after missing changes").register(meters);
        Counter lostNodes = Counter.builder("relay.cluster.nodes.lost")
                .description("Lost nodes whose players this node orphaned").register(meters);
        RedisConnections connections = new RedisConnections(client, config, nodeId);
        Subscriptions subscriptions = new Subscriptions(connections::subscription, nodeId, config.commandTimeout(), received);
        connections.deliverTo(subscriptions::receive);
        RedisScriptCalls scripts = new RedisScriptCalls(connections::commands, nodeId, config.nodeTtl());
        RedisChangeWriter writer = new RedisChangeWriter(nodeId, connections::commands, scripts, published::increment);
        this.parts = new Parts(connections, scripts, subscriptions, writer, config.entityIdBlock(), config.commandTimeout());
        this.heartbeat = new ClusterHeartbeat(parts, nodeId, resumeGrace.toMillis(), config.nodeTtl().toNanos(), lostNodes,
                resyncs);
        Gauge.builder("relay.cluster.ready", () -> connections.isReady() ? 1 : 0)
                .description("1 while this node reaches Redis and takes new players").register(meters);
        Gauge.builder("relay.cluster.universes", subscriptions::size)
                .description("Universes this node receives other nodes' changes for").register(meters);
    }

    /** Ready at once when Redis is there; otherwise the scheduled beats ({@link ClusterBeat}) keep trying. */
    @PostConstruct
    void start() {
        heartbeat.beat();
    }

    /** Leases on recording universes (docs/cluster.md, *Recordings*), on this node's command connection. */
    dev.universerelay.recording.RecordingLeases recordingLeases(Duration ttl) {
        return new RedisRecordingLeases(parts.connections()::commands, nodeId, ttl);
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean isReady() {
        return parts.connections().isReady();
    }

    /** Returns at once: the universe is loaded by {@link Replication#load}, before anyone can join it. */
    @Override
    public Replication replicate(Universe universe) {
        return new RedisReplication(parts, universe);
    }

    @Override
    public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
        if (!isReady()) {
            throw new IllegalStateException("Redis is unreachable");
        }
        if (identity.spectator()) {
            return new Claim.Granted(parts.scripts().spectatorNumber(universe), false);
        }
        RedisScriptCalls.ClaimReply reply = parts.scripts().claim(universe, identity, maxPlayers);
        return switch (reply.outcome()) {
            case NEW -> new Claim.Granted(reply.number(), false);
            case EXISTING -> new Claim.Granted(reply.number(), true);
            case FULL -> new Claim.Full();
        };
    }

    /** One heartbeat round (see {@link ClusterHeartbeat}); run by {@link ClusterBeat} on the scheduler. */
    void beat() {
        heartbeat.beat();
    }

    /**
     * Leaves the cluster on shutdown: deleting the heartbeat key lets the other nodes treat this
     * node's players as disconnected at their next beat, instead of after the key's lifetime.
     */
    @PreDestroy
    void leave() {
        parts.connections().ready(false);
        parts.writer().shutdown();
        parts.connections().close(parts.scripts()::deleteHeartbeat);
    }
}
