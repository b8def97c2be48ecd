package dev.universerelay.cluster;

import java.nio.charset.StandardCharsets;

/**
 * Where the cluster keeps things in Redis (docs/cluster.md lists them with their lifetimes). A
 * universe's keys share the hash tag {@code {name}}, so that on Redis Cluster they would live in
 * one slot and its scripts could run there.
 */
final class RedisKeys {
    static final String NODES = "relay:nodes";
    static final String ORPHANS = "relay:orphans";

    private RedisKeys() {
    }

    /** The keys of one universe, in the order the scripts take them. */
    record UniverseKeys(byte[] node, byte[] deadline, byte[] subject, byte[] name, byte[] subjects, byte[] entities,
                        byte[] view, byte[] nextPlayer, byte[] nextEntity, byte[] channel, String channelName) {

        static UniverseKeys of(String universe) {
            String prefix = "relay:{" + universe + "}:";
            return new UniverseKeys(bytes(prefix + "node"), bytes(prefix + "deadline"), bytes(prefix + "subject"),
                    bytes(prefix + "name"), bytes(prefix + "subjects"), bytes(prefix + "entities"), bytes(prefix + "view"),
                    bytes(prefix + "next-player"), bytes(prefix + "next-entity"), bytes(prefix + "events"),
                    prefix + "events");
        }
    }

    static byte[] heartbeat(String node) {
        return bytes("relay:node:" + node);
    }

    static byte[] nodeUniverses(String node) {
        return bytes("relay:node-universes:" + node);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
