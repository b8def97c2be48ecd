package dev.universerelay.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An honest player who keeps playing while a test attacks the relay: the yardstick of every abuse
 * test. It owns a ship and watches a second honest player's ship, so that
 * {@link #assertStillPlaying()} checks the whole path a game needs (its pings answered, its moves
 * applied and delivered to another player), not just an open socket.
 */
public final class Bystander implements AutoCloseable {
    /** The median ping round trip that still feels live in a game. */
    public static final long MEDIAN_PONG_MILLIS = 100;

    private final RelayTestClient player;
    private final RelayTestClient watcher;
    private final long ship;
    private int moves;

    private Bystander(RelayTestClient player, RelayTestClient watcher, long ship) {
        this.player = player;
        this.watcher = watcher;
        this.ship = ship;
    }

    /**
     * Two players in {@code universe}, from this machine's address, with tokens signed by the test
     * secret (so that no login limit the attack trips keeps them out); one of them spawns a ship.
     */
    public static Bystander join(int port, String universe) {
        String id = java.util.UUID.randomUUID().toString().substring(0, 8);
        RelayTestClient player = joinWithToken(port, universe, "bystander-" + id, RelayTestClient.BIN);
        RelayTestClient watcher = joinWithToken(port, universe, "watcher-" + id, RelayTestClient.JSON);
        long ship = player.spawn(1, 0, 0, 0, 0);
        watcher.awaitEvent("appeared", ship);
        return new Bystander(player, watcher, ship);
    }

    private static RelayTestClient joinWithToken(int port, String universe, String subject, String subprotocol) {
        RelayTestClient client = RelayTestClient.connect(port, universe, TestTokens.token(subject), subprotocol);
        client.awaitType("welcome");
        return client;
    }

    /**
     * Five pings answered with a median round trip under {@value #MEDIAN_PONG_MILLIS} ms (the
     * median, so that one GC pause on a shared machine does not fail it; each single answer must
     * still arrive within the awaiting timeout), then a move that the watcher sees.
     */
    public void assertStillPlaying() {
        List<Long> roundTrips = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long sent = System.nanoTime();
            long c = 1_000_000L + moves * 10L + i;
            player.send(new ClientMessage.Ping(c));
            player.awaitMessage(m -> "pong".equals(m.get("t")) && RelayTestClient.number(m, "c") == c);
            roundTrips.add((System.nanoTime() - sent) / 1_000_000);
        }
        Collections.sort(roundTrips);
        assertThat(roundTrips.get(2)).as("median pong round trip (ms) of %s", roundTrips).isLessThan(MEDIAN_PONG_MILLIS);
        float vx = ++moves;
        player.send(new ClientMessage.Move(ship, 0, 0, vx, 0));
        watcher.awaitMessage(m -> RelayTestClient.isEvent(m, "velocity", ship) && RelayTestClient.decimal(m, "vx") == vx);
        assertThat(player.isClosed()).isFalse();
        assertThat(watcher.isClosed()).isFalse();
    }

    @Override
    public void close() {
        player.close(1000);
        watcher.close(1000);
    }
}
