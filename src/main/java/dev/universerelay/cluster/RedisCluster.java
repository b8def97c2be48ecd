package dev.universerelay.cluster;

import static dev.universerelay.cluster.RedisKeys.bytes;

import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.universe.Cluster;
import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.ReplicatedChange;
import dev.universerelay.universe.Replication;
import dev.universerelay.universe.Universe;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateAdapter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares universes with the other nodes through one Redis (docs/cluster.md): each universe a node
 * serves is a copy kept current by a pub/sub channel, decisions that must be taken once (player
 * numbers, who leaves, which node is lost, whose grace is over) are Lua scripts, and the state a
 * newly serving node needs is kept in hashes beside the channel.
 *
 * <p>Threads: joins and id blocks wait for Redis on the caller's thread (bounded by
 * {@code relay.cluster.command-timeout}); changes are written without waiting; other nodes' changes
 * arrive on the subscription's single thread, in Redis's order; {@link #beat} runs on the scheduler.
 */
@Context
@Requires(property = "relay.cluster.mode", value = "redis")
public final class RedisCluster implements Cluster {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
    private static final int ORPHANS_PER_BEAT = 200;
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final RedisClient client;
    private final ClusterConfiguration config;
    private final long graceMillis;
    private final String nodeId;
    private final byte[] nodeIdBytes;
    private final ConcurrentHashMap<String, RedisReplication> byChannel = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<byte[], byte[]> commands;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    private volatile boolean healthy;
    private volatile boolean registered;
    /**
     * When this node may next judge other nodes lost: a node TTL after it (re)gained Redis, so that
     * after an outage every node has had time to renew its own heartbeat first.
     */
    private volatile long judgeFromNanos;
    private final Counter published;
    private final Counter received;
    private final Counter lostNodes;
    private final Counter resyncs;
    private final RedisChangeWriter writer;
    /** The subscription was cut (Redis restarted, or dropped a subscriber that fell behind): changes were missed. */
    private volatile boolean subscriptionCut;

    RedisCluster(RedisClient client, ClusterConfiguration config,
                 @Value("${relay.session.resume-grace:10s}") Duration resumeGrace, MeterRegistry meters) {
        this.client = client;
        this.config = config;
        this.graceMillis = resumeGrace.toMillis();
        if (config.nodeId() != null && !NODE_ID.matcher(config.nodeId()).matches()) {
            throw new IllegalArgumentException("relay.cluster.node-id must be 1 to 64 of A-Z a-z 0-9 _ . - (got \""
                    + config.nodeId() + "\")");
        }
        this.nodeId = config.nodeId() != null ? config.nodeId() : UUID.randomUUID().toString();
        this.nodeIdBytes = bytes(nodeId);
        this.published = Counter.builder("relay.cluster.changes.published")
                .description("Changes of this node's players written to Redis for the other nodes").register(meters);
        this.received = Counter.builder("relay.cluster.changes.received")
                .description("Changes of other nodes applied to this node's copies of universes").register(meters);
        this.resyncs = Counter.builder("relay.cluster.resyncs")
                .description("Times this node caught up with Redis after missing changes").register(meters);
        this.lostNodes = Counter.builder("relay.cluster.nodes.lost")
                .description("Lost nodes whose players this node orphaned").register(meters);
        this.writer = new RedisChangeWriter(nodeId, () -> commands, published::increment);
        Gauge.builder("relay.cluster.ready", () -> healthy ? 1 : 0)
                .description("1 while this node reaches Redis and takes new players").register(meters);
        Gauge.builder("relay.cluster.universes", byChannel::size)
                .description("Universes this node receives other nodes' changes for").register(meters);
        beat(); // ready at once when Redis is there; otherwise the scheduled beats keep trying
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean isReady() {
        return healthy;
    }

    @Override
    public Replication replicate(Universe universe) {
        requireHealthy();
        RedisReplication replication = new RedisReplication(this, universe.name());
        byChannel.put(replication.keys.channelName(), replication);
        try {
            subscription.sync().subscribe(replication.keys.channel());
            replication.goLive(universe, snapshot(replication.keys).changes());
            return replication;
        } catch (RuntimeException e) {
            detach(replication);
            throw new IllegalStateException("cannot load universe " + universe.name() + " from Redis", e);
        }
    }

    @Override
    public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
        requireHealthy();
        RedisKeys.UniverseKeys k = RedisKeys.UniverseKeys.of(universe);
        if (identity.spectator()) {
            return new Claim.Granted(commands.sync().incr(k.nextPlayer()), false);
        }
        List<Object> answer = commands.sync().eval(RedisScripts.CLAIM, ScriptOutputType.MULTI,
                new byte[][] {k.node(), k.deadline(), k.subject(), k.name(), k.subjects(), k.nextPlayer(),
                    RedisKeys.nodeUniverses(nodeId), bytes(RedisKeys.ORPHANS)},
                bytes(identity.subject()), bytes(identity.name()), nodeIdBytes, bytes(Integer.toString(maxPlayers)),
                k.channel(), bytes(universe));
        long number = (Long) answer.get(0);
        long outcome = (Long) answer.get(1);
        return outcome == 2 ? new Claim.Full() : new Claim.Granted(number, outcome == 1);
    }

    int idBlock() {
        return config.entityIdBlock();
    }

    /** Takes the next block of entity ids of a universe; returns its last id. */
    long takeIds(byte[] counter) {
        if (!healthy) {
            throw new IllegalStateException("Redis is unreachable");
        }
        try {
            long last = commands.sync().incrby(counter, config.entityIdBlock());
            commands.async().expire(counter, Duration.ofDays(7).toSeconds());
            return last;
        } catch (RuntimeException e) {
            throw new IllegalStateException("no entity ids from Redis", e);
        }
    }

    RedisChangeWriter writer() {
        return writer;
    }

    /** Stops receiving a universe's changes: no member of this node is left in it. */
    void detach(RedisReplication replication) {
        if (byChannel.remove(replication.keys.channelName(), replication)) {
            StatefulRedisPubSubConnection<byte[], byte[]> connection = subscription;
            if (connection != null) {
                try {
                    connection.async().unsubscribe(replication.keys.channel());
                } catch (RuntimeException e) {
                    LOG.debug("unsubscribe from {} failed: {}", replication.keys.channelName(), e.toString());
                }
            }
        }
    }

    /**
     * The periodic work: renew this node's heartbeat, notice lost nodes and ended grace periods
     * (each handled once, by whichever node's script runs first), and recover after Redis was
     * unreachable.
     */
    void beat() {
        if (!connect()) {
            return;
        }
        try {
            Long alive = commands.sync().eval(RedisScripts.HEARTBEAT, ScriptOutputType.INTEGER,
                    new byte[][] {RedisKeys.heartbeat(nodeId), bytes(RedisKeys.NODES)},
                    nodeIdBytes, bytes(Long.toString(config.nodeTtl().toMillis())), bytes(registered ? "0" : "1"));
            boolean recovering = registered && (!healthy || subscriptionCut || writer.takeFailure());
            if (alive == 0) {
                evicted();
            } else if (recovering && subscription.isOpen()) {
                subscriptionCut = false;
                resync();
            }
            registered = true;
            if (!healthy) {
                LOG.info("cluster: node {} connected to Redis and ready", nodeId);
                judgeFromNanos = System.nanoTime() + config.nodeTtl().toNanos();
            }
            healthy = true;
            if (System.nanoTime() - judgeFromNanos >= 0) {
                Long lost = commands.sync().eval(RedisScripts.DETECT_LOST, ScriptOutputType.INTEGER,
                        new byte[][] {bytes(RedisKeys.NODES), bytes(RedisKeys.ORPHANS)},
                        bytes(Long.toString(graceMillis)), nodeIdBytes);
                if (lost > 0) {
                    lostNodes.increment(lost);
                    LOG.warn("cluster: node {} found {} lost node(s); their players wait {} ms for a resume", nodeId, lost,
                            graceMillis);
                }
            }
            commands.sync().eval(RedisScripts.EXPIRE_ORPHANS, ScriptOutputType.INTEGER,
                    new byte[][] {bytes(RedisKeys.ORPHANS)}, bytes(Integer.toString(ORPHANS_PER_BEAT)));
        } catch (RuntimeException e) {
            if (healthy) {
                LOG.warn("cluster: node {} lost Redis ({}); not ready, local players keep playing", nodeId, e.toString());
            }
            healthy = false;
        }
    }

    private synchronized boolean connect() {
        if (commands != null) {
            return true;
        }
        try {
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(config.requestQueueSize())
                    .build());
            StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
            c.setTimeout(config.commandTimeout());
            StatefulRedisPubSubConnection<byte[], byte[]> s = client.connectPubSub(ByteArrayCodec.INSTANCE);
            s.setTimeout(config.commandTimeout());
            client.addListener(new RedisConnectionStateAdapter() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                    if (connection == subscription) {
                        subscriptionCut = true; // Lettuce subscribes again; the next beat catches up
                    }
                }
            });
            s.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    receive(channel, message);
                }
            });
            subscription = s;
            commands = c;
            return true;
        } catch (RuntimeException e) {
            if (healthy || !registered) {
                LOG.warn("cluster: node {} cannot connect to Redis ({}); not ready", nodeId, e.toString());
            }
            healthy = false;
            return false;
        }
    }

    private void receive(byte[] channel, byte[] message) {
        RedisReplication replication = byChannel.get(new String(channel, StandardCharsets.UTF_8));
        if (replication == null) {
            return;
        }
        if (ClusterCodec.isFrom(message, nodeIdBytes)) {
            return; // this node's own change, applied here already
        }
        try {
            for (ReplicatedChange change : ClusterCodec.decodeAll(message)) {
                received.increment();
                replication.deliver(change);
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster: ignored a message on {}: {}", replication.keys.channelName(), e.toString());
        }
    }

    /** The others gave this node up while it could not reach Redis: its clients must start afresh. */
    private void evicted() {
        LOG.warn("cluster: node {} was given up by the other nodes while away; closing its {} universes' connections "
                + "with 1013 so that clients reconnect", nodeId, byChannel.size());
        for (RedisReplication replication : List.copyOf(byChannel.values())) {
            Universe universe = replication.universe();
            if (universe != null) {
                universe.abandon(CloseCodes.TRY_AGAIN_LATER, "this node lost touch with the others; please reconnect");
            }
        }
        commands.sync().eval(RedisScripts.HEARTBEAT, ScriptOutputType.INTEGER,
                new byte[][] {RedisKeys.heartbeat(nodeId), bytes(RedisKeys.NODES)},
                nodeIdBytes, bytes(Long.toString(config.nodeTtl().toMillis())), bytes("1"));
    }

    /**
     * After an outage short enough that the others did not give this node up: write this node's
     * state again (its changes during the outage were not written), remove from Redis what its
     * players did away with meanwhile, and bring its copies of the others' state up to date.
     */
    private void resync() {
        resyncs.increment();
        LOG.info("cluster: node {} may have missed changes (Redis or its subscription was cut); catching up in {} universes",
                nodeId, byChannel.size());
        for (RedisReplication replication : List.copyOf(byChannel.values())) {
            Universe universe = replication.universe();
            if (universe != null) {
                resync(replication, universe);
            }
        }
    }

    private void resync(RedisReplication replication, Universe universe) {
        replication.hold();
        replication.release(() -> catchUp(replication, universe, snapshot(replication.keys)));
    }

    private void catchUp(RedisReplication replication, Universe universe, Snapshot snapshot) {
        Set<Long> local = universe.localPlayerNumbers();
        List<ReplicatedChange.EntitySet> localStates = universe.localEntityStates();
        Set<Long> localEntities = new HashSet<>();
        localStates.forEach(s -> localEntities.add(s.id()));
        Set<Long> goneHere = new HashSet<>();
        List<ReplicatedChange.MemberJoined> others = new ArrayList<>();
        Set<Long> inRedis = new HashSet<>();
        for (Snapshot.Member m : snapshot.members()) {
            inRedis.add(m.joined().number());
            if (m.node().equals(nodeId) && !local.contains(m.joined().number())) {
                goneHere.add(m.joined().number());
            } else if (!m.node().equals(nodeId) && local.contains(m.joined().number())) {
                universe.applyRemote(new ReplicatedChange.MemberMoved(m.joined().number(), m.node()));
                others.add(m.joined());
            } else if (!local.contains(m.joined().number())) {
                others.add(m.joined());
            }
        }
        for (Long number : local) {
            if (!inRedis.contains(number)) {
                universe.applyRemote(new ReplicatedChange.MemberLeft(number)); // removed while we were away
            }
        }
        List<ReplicatedChange.EntitySet> otherStates = new ArrayList<>();
        List<ReplicatedChange> repairs = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (ReplicatedChange.EntitySet e : snapshot.entities()) {
            boolean ours = local.contains(e.owner()) || goneHere.contains(e.owner());
            if (ours && !localEntities.contains(e.id())) {
                repairs.add(new ReplicatedChange.EntityRemoved(e.id(), now));
            } else if (!ours) {
                otherStates.add(e);
            }
        }
        goneHere.forEach(number -> repairs.add(new ReplicatedChange.MemberLeft(number)));
        repairs.addAll(localStates);
        writer.runAndWait(() -> writer.write(replication, repairs));
        universe.reconcile(others, otherStates);
        for (Snapshot.Member m : snapshot.members()) {
            if (m.view() != null && !local.contains(m.joined().number())) {
                universe.applyRemote(m.view());
            }
        }
    }

    private Snapshot snapshot(RedisKeys.UniverseKeys k) {
        List<Object> parts = commands.sync().eval(RedisScripts.SNAPSHOT, ScriptOutputType.MULTI,
                new byte[][] {k.node(), k.subject(), k.name(), k.entities(), k.deadline(), k.view()});
        Map<String, String> nodes = pairs(parts.get(0));
        Map<String, String> subjects = pairs(parts.get(1));
        Map<String, String> names = pairs(parts.get(2));
        Map<Long, ReplicatedChange.MemberView> views = views(parts.get(5));
        List<Snapshot.Member> members = new ArrayList<>();
        nodes.forEach((number, node) -> members.add(new Snapshot.Member(new ReplicatedChange.MemberJoined(
                Long.parseLong(number), subjects.getOrDefault(number, ""), names.getOrDefault(number, "")), node,
                views.get(Long.parseLong(number)))));
        members.sort((a, b) -> Long.compare(a.joined().number(), b.joined().number()));
        List<ReplicatedChange.EntitySet> entities = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<byte[]> entityPairs = (List<byte[]>) parts.get(3);
        for (int i = 1; i < entityPairs.size(); i += 2) {
            entities.add(entityState(entityPairs.get(i)));
        }
        entities.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new Snapshot(members, entities);
    }

    /** What Redis holds of a universe: members with their nodes ("" when orphaned) and entity states. */
    record Snapshot(List<Member> members, List<ReplicatedChange.EntitySet> entities) {
        /** A member; {@code view} is null when it sent none. */
        record Member(ReplicatedChange.MemberJoined joined, String node, ReplicatedChange.MemberView view) {
        }

        /** The snapshot as changes that build a copy from nothing. */
        List<ReplicatedChange> changes() {
            List<ReplicatedChange> changes = new ArrayList<>(members.size() + entities.size());
            for (Member m : members) {
                changes.add(m.joined());
                if (m.view() != null) {
                    changes.add(m.view());
                }
            }
            changes.addAll(entities);
            return changes;
        }
    }

    private static Map<Long, ReplicatedChange.MemberView> views(Object flat) {
        @SuppressWarnings("unchecked")
        List<byte[]> list = (List<byte[]>) flat;
        Map<Long, ReplicatedChange.MemberView> views = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            long number = Long.parseLong(new String(list.get(i), StandardCharsets.UTF_8));
            ByteBuffer view = ByteBuffer.wrap(list.get(i + 1));
            views.put(number, new ReplicatedChange.MemberView(number, view.getFloat(), view.getFloat(), view.getFloat()));
        }
        return views;
    }

    private static Map<String, String> pairs(Object flat) {
        @SuppressWarnings("unchecked")
        List<byte[]> list = (List<byte[]>) flat;
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            map.put(new String(list.get(i), StandardCharsets.UTF_8), new String(list.get(i + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    private static ReplicatedChange.EntitySet entityState(byte[] value) {
        int colon = 0;
        while (value[colon] != ':') {
            colon++;
        }
        ReplicatedChange change = ClusterCodec.decode(Arrays.copyOfRange(value, colon + 1, value.length)).change();
        ReplicatedChange.EntitySet state = (ReplicatedChange.EntitySet) change;
        return new ReplicatedChange.EntitySet(true, state.id(), state.owner(), state.kind(), state.x(), state.y(),
                state.vx(), state.vy(), state.time());
    }

    private void requireHealthy() {
        if (!healthy) {
            throw new IllegalStateException("Redis is unreachable");
        }
    }

    /**
     * Leaves the cluster on shutdown: deleting the heartbeat key lets the other nodes treat this
     * node's players as disconnected at their next beat, instead of after the key's lifetime.
     */
    @PreDestroy
    void leave() {
        healthy = false;
        writer.shutdown();
        StatefulRedisConnection<byte[], byte[]> c = commands;
        if (c == null) {
            return;
        }
        try {
            c.sync().del(RedisKeys.heartbeat(nodeId));
        } catch (RuntimeException e) {
            LOG.debug("cluster: heartbeat key not deleted: {}", e.toString());
        }
        c.close();
        StatefulRedisPubSubConnection<byte[], byte[]> s = subscription;
        if (s != null) {
            s.close();
        }
    }
}
