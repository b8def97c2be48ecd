package dev.universerelay.cluster;

/**
 * The Lua scripts that make cluster-wide decisions atomically in Redis: who a subject is, who
 * leaves, which node is lost, which orphaned player's grace is over. Each runs once, whoever calls
 * it, which is what makes node loss handled exactly once. Messages they publish use the layout of
 * {@link ClusterCodec} (struct.pack, big-endian); those made on behalf of a lost node have origin "".
 * The node-loss and orphan scripts reach keys of several universes, which standalone Redis allows
 * and Redis Cluster would not (docs/cluster.md, "Larger deployments").
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /** Reads the current time in Redis, so that no node's clock decides a deadline. */
    private static final String NOW = """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
            """;

    /**
     * KEYS: node, deadline, subject, name, subjects, next-player, node-universes(me), orphans.
     * ARGV: subject, name, me, max players, channel, universe.
     * Returns {number, 1} for an existing member (now on this node), {number, 0} for a new one,
     * {0, 2} when the universe is full.
     */
    static final String CLAIM = """
            local n = redis.call('HGET', KEYS[5], ARGV[1])
            if n then
              local previous = redis.call('HGET', KEYS[1], n)
              redis.call('HSET', KEYS[1], n, ARGV[3])
              redis.call('HDEL', KEYS[2], n)
              redis.call('ZREM', KEYS[8], ARGV[6] .. ' ' .. n)
              redis.call('SADD', KEYS[7], ARGV[6])
              if previous ~= ARGV[3] then
                redis.call('PUBLISH', ARGV[5], struct.pack('>BB', 2, #ARGV[3]) .. ARGV[3]
                  .. struct.pack('>I4B', tonumber(n), #ARGV[3]) .. ARGV[3])
              end
              return {tonumber(n), 1}
            end
            local max = tonumber(ARGV[4])
            if max > 0 and redis.call('HLEN', KEYS[1]) >= max then
              return {0, 2}
            end
            n = redis.call('INCR', KEYS[6])
            redis.call('EXPIRE', KEYS[6], 604800)
            redis.call('HSET', KEYS[5], ARGV[1], n)
            redis.call('HSET', KEYS[1], n, ARGV[3])
            redis.call('HSET', KEYS[3], n, ARGV[1])
            redis.call('HSET', KEYS[4], n, ARGV[2])
            redis.call('SADD', KEYS[7], ARGV[6])
            redis.call('PUBLISH', ARGV[5], struct.pack('>BB', 1, #ARGV[3]) .. ARGV[3]
              .. struct.pack('>I4I2', n, #ARGV[1]) .. ARGV[1] .. struct.pack('>I2', #ARGV[2]) .. ARGV[2])
            return {n, 0}
            """;

    /**
     * KEYS: node, deadline, subject, name, subjects, entities, view. ARGV: number, me, channel.
     * Removes a member that is still this node's (a member that moved to another node meanwhile
     * stays) and deletes the universe's keys when it was the last. Returns 1 when it left.
     */
    static final String LEAVE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
              return 0
            end
            local subject = redis.call('HGET', KEYS[3], ARGV[1])
            if subject and redis.call('HGET', KEYS[5], subject) == ARGV[1] then
              redis.call('HDEL', KEYS[5], subject)
            end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            redis.call('HDEL', KEYS[3], ARGV[1])
            redis.call('HDEL', KEYS[4], ARGV[1])
            redis.call('HDEL', KEYS[7], ARGV[1])
            redis.call('PUBLISH', ARGV[3], struct.pack('>BB', 4, #ARGV[2]) .. ARGV[2] .. struct.pack('>I4', tonumber(ARGV[1])))
            if redis.call('HLEN', KEYS[1]) == 0 then
              redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
            end
            return 1
            """;

    /**
     * KEYS: node, subject, name, entities, deadline, view. A consistent picture of one universe:
     * {node hash, subject hash, name hash, entities hash, deadline hash, view hash} as flat
     * field/value lists.
     */
    static final String SNAPSHOT = """
            return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]),
                    redis.call('HGETALL', KEYS[4]), redis.call('HGETALL', KEYS[5]), redis.call('HGETALL', KEYS[6])}
            """;

    /**
     * KEYS: heartbeat(me), nodes. ARGV: me, ttl ms, "1" on the node's first beat.
     * Returns 0 when the others gave this node up meanwhile (it must not carry on silently).
     */
    static final String HEARTBEAT = NOW + """
            if not redis.call('ZSCORE', KEYS[2], ARGV[1]) and ARGV[3] ~= '1' then
              return 0
            end
            redis.call('SET', KEYS[1], '1', 'PX', tonumber(ARGV[2]))
            redis.call('ZADD', KEYS[2], now, ARGV[1])
            return 1
            """;

    /**
     * KEYS: nodes, orphans. ARGV: resume grace ms, me.
     * Every known node whose heartbeat key expired is removed, and each of its players is orphaned:
     * it keeps its number and entities until a deadline, announced to every node. Returns how many
     * nodes were found lost.
     */
    static final String DETECT_LOST = NOW + """
            local lost = 0
            for _, x in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              if x ~= ARGV[2] and redis.call('EXISTS', 'relay:node:' .. x) == 0 then
                redis.call('ZREM', KEYS[1], x)
                local deadline = now + tonumber(ARGV[1])
                for _, u in ipairs(redis.call('SMEMBERS', 'relay:node-universes:' .. x)) do
                  local p = 'relay:{' .. u .. '}:'
                  local members = redis.call('HGETALL', p .. 'node')
                  for i = 1, #members, 2 do
                    if members[i + 1] == x then
                      local n = members[i]
                      redis.call('HSET', p .. 'node', n, '')
                      redis.call('HSET', p .. 'deadline', n, deadline)
                      redis.call('ZADD', KEYS[2], deadline, u .. ' ' .. n)
                      redis.call('PUBLISH', p .. 'events', struct.pack('>BBI4d', 3, 0, tonumber(n), deadline))
                    end
                  end
                end
                redis.call('DEL', 'relay:node-universes:' .. x)
                lost = lost + 1
              end
            end
            return lost
            """;

    /**
     * KEYS: orphans. ARGV: at most how many to handle.
     * Every orphaned player whose deadline passed and who did not resume leaves for good: its
     * entities are destroyed and it has left, announced to every node. Returns how many left.
     */
    static final String EXPIRE_ORPHANS = NOW + """
            local done = 0
            for _, item in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))) do
              redis.call('ZREM', KEYS[1], item)
              local space = string.find(item, ' ', 1, true)
              local u = string.sub(item, 1, space - 1)
              local n = string.sub(item, space + 1)
              local p = 'relay:{' .. u .. '}:'
              if redis.call('HGET', p .. 'node', n) == '' then
                local channel = p .. 'events'
                local entities = redis.call('HGETALL', p .. 'entities')
                for i = 1, #entities, 2 do
                  if string.match(entities[i + 1], '^(%d+):') == n then
                    redis.call('HDEL', p .. 'entities', entities[i])
                    redis.call('PUBLISH', channel, struct.pack('>BBI4d', 6, 0, tonumber(entities[i]), now))
                  end
                end
                local subject = redis.call('HGET', p .. 'subject', n)
                if subject and redis.call('HGET', p .. 'subjects', subject) == n then
                  redis.call('HDEL', p .. 'subjects', subject)
                end
                redis.call('HDEL', p .. 'node', n)
                redis.call('HDEL', p .. 'deadline', n)
                redis.call('HDEL', p .. 'subject', n)
                redis.call('HDEL', p .. 'name', n)
                redis.call('HDEL', p .. 'view', n)
                redis.call('PUBLISH', channel, struct.pack('>BBI4', 4, 0, tonumber(n)))
                if redis.call('HLEN', p .. 'node') == 0 then
                  redis.call('DEL', p .. 'node', p .. 'deadline', p .. 'subject', p .. 'name', p .. 'subjects', p .. 'entities',
                    p .. 'view')
                end
                done = done + 1
              end
            end
            return done
            """;
}
