package dev.universerelay.cluster;

import static dev.universerelay.cluster.RedisKeys.bytes;

import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.ReplicatedChange;
import dev.universerelay.universe.SharedSnapshot;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Every call the cluster makes to Redis's scripts and counters, typed: the one place that knows in
 * which order {@link RedisScripts} take their KEYS and ARGV and what their replies hold, so that no
 * other class handles a {@code List<Object>}. Also the layout of the values the scripts read
 * (an entity: its owner's number, {@code ':'}, its state in {@link ClusterCodec}'s layout).
 *
 * <p>Synchronous calls wait for Redis on the caller's thread, bounded by
 * {@code relay.cluster.command-timeout}; none may be made with a universe's lock held. Asynchronous
 * ones return at once and complete on Lettuce's I/O thread.
 */
final class RedisScriptCalls {
    private static final long COUNTER_LIFETIME_SECONDS = Duration.ofDays(7).toSeconds();

    private final Supplier<StatefulRedisConnection<byte[], byte[]>> connection;
    private final String nodeId;
    private final byte[] nodeIdBytes;
    private final long ttlMillis;

    /** Calls on {@code connection} (null while not connected) for node {@code nodeId}, whose heartbeat lives {@code nodeTtl}. */
    RedisScriptCalls(Supplier<StatefulRedisConnection<byte[], byte[]>> connection, String nodeId, Duration nodeTtl) {
        this.connection = connection;
        this.nodeId = nodeId;
        this.nodeIdBytes = bytes(nodeId);
        this.ttlMillis = nodeTtl.toMillis();
    }

    /** CLAIM's reply: the subject's player number and whether it was a member already; or the universe is full. */
    record ClaimReply(long number, Outcome outcome) {
        enum Outcome { NEW, EXISTING, FULL }
    }

    /** HEARTBEAT's reply: false when the other nodes gave this node up while it was away. */
    record HeartbeatReply(boolean known) {
    }

    /** DETECT_LOST's reply: how many nodes were found lost (their players now orphaned). */
    record LostNodes(long count) {
    }

    /** EXPIRE_ORPHANS's reply: how many orphaned players left for good. */
    record ExpiredOrphans(long count) {
    }

    /** LEAVE's reply: false when the member was not this node's any more (it moved meanwhile). */
    record LeaveReply(boolean left) {
    }

    ClaimReply claim(String universe, PlayerIdentity identity, int maxPlayers) {
        RedisKeys.UniverseKeys k = RedisKeys.UniverseKeys.of(universe);
        List<Object> reply = commands().eval(RedisScripts.CLAIM, ScriptOutputType.MULTI,
                new byte[][] {k.node(), k.deadline(), k.subject(), k.name(), k.subjects(), k.nextPlayer(),
                    RedisKeys.nodeUniverses(nodeId), bytes(RedisKeys.ORPHANS)},
                bytes(identity.subject()), bytes(identity.name()), nodeIdBytes, bytes(Integer.toString(maxPlayers)),
                k.channel(), bytes(universe));
        long number = (Long) reply.get(0);
        ClaimReply.Outcome outcome = switch (((Long) reply.get(1)).intValue()) {
            case 0 -> ClaimReply.Outcome.NEW;
            case 1 -> ClaimReply.Outcome.EXISTING;
            case 2 -> ClaimReply.Outcome.FULL;
            default -> throw new IllegalStateException("CLAIM answered outcome " + reply.get(1));
        };
        return new ClaimReply(number, outcome);
    }

    /** A number no player or spectator of the universe has on any node (spectators stay on their node). */
    long spectatorNumber(String universe) {
        return commands().incr(RedisKeys.UniverseKeys.of(universe).nextPlayer());
    }

    /** Renews this node's heartbeat; {@code first}: this node's first heartbeat since it started (or was given up). */
    HeartbeatReply heartbeat(boolean first) {
        Long known = commands().eval(RedisScripts.HEARTBEAT, ScriptOutputType.INTEGER,
                new byte[][] {RedisKeys.heartbeat(nodeId), bytes(RedisKeys.NODES)},
                nodeIdBytes, bytes(Long.toString(ttlMillis)), bytes(first ? "1" : "0"));
        return new HeartbeatReply(known != 0);
    }

    /** Orphans the players of every node whose heartbeat expired, giving them {@code graceMillis} to resume. */
    LostNodes detectLost(long graceMillis) {
        Long lost = commands().eval(RedisScripts.DETECT_LOST, ScriptOutputType.INTEGER,
                new byte[][] {bytes(RedisKeys.NODES), bytes(RedisKeys.ORPHANS)},
                bytes(Long.toString(graceMillis)), nodeIdBytes);
        return new LostNodes(lost);
    }

    /** Lets at most {@code max} orphaned players whose grace is over leave for good. */
    ExpiredOrphans expireOrphans(int max) {
        Long done = commands().eval(RedisScripts.EXPIRE_ORPHANS, ScriptOutputType.INTEGER,
                new byte[][] {bytes(RedisKeys.ORPHANS)}, bytes(Integer.toString(max)));
        return new ExpiredOrphans(done);
    }

    /** SNAPSHOT: what Redis holds of a universe, members and entities sorted by number and id. */
    SharedSnapshot snapshot(RedisKeys.UniverseKeys k) {
        List<Object> parts = commands().eval(RedisScripts.SNAPSHOT, ScriptOutputType.MULTI,
                new byte[][] {k.node(), k.subject(), k.name(), k.entities(), k.deadline(), k.view()});
        Map<String, String> nodes = strings(parts.get(0));
        Map<String, String> subjects = strings(parts.get(1));
        Map<String, String> names = strings(parts.get(2));
        Map<Long, ReplicatedChange.MemberView> views = views(parts.get(5));
        List<SharedSnapshot.Member> members = new ArrayList<>();
        nodes.forEach((number, node) -> members.add(new SharedSnapshot.Member(new ReplicatedChange.MemberJoined(
                Long.parseLong(number), subjects.getOrDefault(number, ""), names.getOrDefault(number, "")), node,
                views.get(Long.parseLong(number)))));
        members.sort((a, b) -> Long.compare(a.joined().number(), b.joined().number()));
        List<ReplicatedChange.EntitySet> entities = new ArrayList<>();
        List<byte[]> entityPairs = flat(parts.get(3));
        for (int i = 1; i < entityPairs.size(); i += 2) {
            entities.add(entityState(entityPairs.get(i)));
        }
        entities.sort((a, b) -> Long.compare(a.id(), b.id()));
        return new SharedSnapshot(members, entities);
    }

    /** Reserves {@code count} entity ids of a universe (INCRBY, no wait); completes with the last of them. */
    CompletionStage<Long> reserveEntityIds(RedisKeys.UniverseKeys k, int count) {
        RedisAsyncCommands<byte[], byte[]> redis = connected().async();
        CompletionStage<Long> last = redis.incrby(k.nextEntity(), count);
        redis.expire(k.nextEntity(), COUNTER_LIFETIME_SECONDS);
        return last;
    }

    /** LEAVE, without waiting: removes a member of this node for good and announces it. */
    CompletionStage<LeaveReply> leave(RedisAsyncCommands<byte[], byte[]> redis, RedisKeys.UniverseKeys k, long number) {
        CompletionStage<Long> left = redis.eval(RedisScripts.LEAVE, ScriptOutputType.INTEGER,
                new byte[][] {k.node(), k.deadline(), k.subject(), k.name(), k.subjects(), k.entities(), k.view()},
                field(number), nodeIdBytes, k.channel());
        return left.thenApply(result -> new LeaveReply(result == 1));
    }

    /** Deletes this node's heartbeat key, so that the others notice at once that it left. */
    void deleteHeartbeat(StatefulRedisConnection<byte[], byte[]> c) {
        c.sync().del(RedisKeys.heartbeat(nodeId));
    }

    /** A hash field of a number or id. */
    static byte[] field(long id) {
        return Long.toString(id).getBytes(StandardCharsets.UTF_8);
    }

    /** An entity's value in Redis: its owner's number and ':' (read by EXPIRE_ORPHANS), then its state. */
    static byte[] entityValue(ReplicatedChange.EntitySet state) {
        byte[] prefix = (state.owner() + ":").getBytes(StandardCharsets.UTF_8);
        byte[] encoded = ClusterCodec.encode("", state);
        byte[] value = new byte[prefix.length + encoded.length];
        System.arraycopy(prefix, 0, value, 0, prefix.length);
        System.arraycopy(encoded, 0, value, prefix.length, encoded.length);
        return value;
    }

    /** A view's value in Redis: x, y, r as big-endian f32. */
    static byte[] viewValue(ReplicatedChange.MemberView view) {
        return ByteBuffer.allocate(12).putFloat(view.x()).putFloat(view.y()).putFloat(view.r()).array();
    }

    private io.lettuce.core.api.sync.RedisCommands<byte[], byte[]> commands() {
        return connected().sync();
    }

    private StatefulRedisConnection<byte[], byte[]> connected() {
        StatefulRedisConnection<byte[], byte[]> c = connection.get();
        if (c == null) {
            throw new IllegalStateException("not connected to Redis");
        }
        return c;
    }

    private static ReplicatedChange.EntitySet entityState(byte[] value) {
        int colon = 0;
        while (value[colon] != ':') {
            colon++;
        }
        ReplicatedChange change = ClusterCodec.decode(Arrays.copyOfRange(value, colon + 1, value.length)).change();
        if (!(change instanceof ReplicatedChange.EntitySet state)) {
            throw new IllegalStateException("an entity of the snapshot holds a " + change.type());
        }
        return new ReplicatedChange.EntitySet(true, state.id(), state.owner(), state.kind(), state.x(), state.y(),
                state.vx(), state.vy(), state.time());
    }

    private static Map<Long, ReplicatedChange.MemberView> views(Object reply) {
        List<byte[]> list = flat(reply);
        Map<Long, ReplicatedChange.MemberView> views = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            long number = Long.parseLong(new String(list.get(i), StandardCharsets.UTF_8));
            ByteBuffer view = ByteBuffer.wrap(list.get(i + 1));
            views.put(number, new ReplicatedChange.MemberView(number, view.getFloat(), view.getFloat(), view.getFloat()));
        }
        return views;
    }

    private static Map<String, String> strings(Object reply) {
        List<byte[]> list = flat(reply);
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            map.put(new String(list.get(i), StandardCharsets.UTF_8), new String(list.get(i + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    /** A HGETALL inside a script's reply: field, value, field, value... */
    @SuppressWarnings("unchecked")
    private static List<byte[]> flat(Object reply) {
        return (List<byte[]>) reply;
    }
}
