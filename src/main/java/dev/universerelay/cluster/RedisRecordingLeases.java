package dev.universerelay.cluster;

import dev.universerelay.recording.RecordingLeases;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Recording leases in Redis: {@code relay:{universe}:recording} holds the recording node's id with
 * a time to live; the holder renews it, a dead holder's lapses. Taking and renewing is one script,
 * so two nodes can never both believe they hold it. Redis unreachable means no lease: a node that
 * cannot renew stops recording rather than risk two recordings.
 */
final class RedisRecordingLeases implements RecordingLeases {
    private static final String HOLD = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if not holder then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final Supplier<StatefulRedisConnection<byte[], byte[]>> commands;
    private final byte[] nodeId;
    private final byte[] ttlMillis;

    RedisRecordingLeases(Supplier<StatefulRedisConnection<byte[], byte[]>> commands, String nodeId, Duration ttl) {
        this.commands = commands;
        this.nodeId = bytes(nodeId);
        this.ttlMillis = bytes(Long.toString(ttl.toMillis()));
    }

    @Override
    public boolean hold(String universe) {
        StatefulRedisConnection<byte[], byte[]> c = commands.get();
        if (c == null) {
            return false;
        }
        try {
            Long held = c.sync().eval(bytes(HOLD), ScriptOutputType.INTEGER, new byte[][] {key(universe)}, nodeId, ttlMillis);
            return held != null && held == 1;
        } catch (RuntimeException unreachable) {
            return false;
        }
    }

    @Override
    public void release(String universe) {
        StatefulRedisConnection<byte[], byte[]> c = commands.get();
        if (c == null) {
            return;
        }
        try {
            c.sync().eval(bytes(RELEASE), ScriptOutputType.INTEGER, new byte[][] {key(universe)}, nodeId);
        } catch (RuntimeException unreachable) {
            // the lease lapses by itself
        }
    }

    private static byte[] key(String universe) {
        return bytes("relay:{" + universe + "}:recording"); // the universe's hash tag, like its other keys
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
