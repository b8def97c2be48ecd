package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RawHttp;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.netty.channel.EventLoop;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every connection of a universe is served by one event loop, whichever loop accepted its socket
 * (Netty hands accepted sockets to its loops in turn), so that a move and all of its deliveries
 * happen on one thread; universes spread over the loops; moved connections play and are refused
 * like any other.
 */
@MicronautTest
@Property(name = "micronaut.netty.event-loops.default.num-threads", value = "4")
class UniverseAffinityTest {
    @Inject
    Relay relay;
    @Inject
    UniverseAffinityInstaller affinity;

    @Test
    void thePlayersOfAUniverseShareOneEventLoopAndPlay() {
        List<RelayTestClient> players = new ArrayList<>();
        Set<EventLoop> loops = new HashSet<>();
        for (int i = 0; i < 6; i++) { // more than the loops: accepted in turn, they would land on every loop
            String name = "affine-" + i;
            players.add(relay.joinAs("affinity-one", name, i % 2 == 0 ? BIN : JSON));
            loops.add(relay.probe(name).loop());
        }
        assertThat(loops).hasSize(1);
        EventLoop loop = loops.iterator().next();
        assertThat(affinity.loopsOf(relay.probe("affine-0").connectionChannel()).of("affinity-one")).isSameAs(loop);

        RelayTestClient mover = players.get(0);
        long id = mover.spawn(1, 10, 10, 0, 0);
        mover.send(new ClientMessage.Move(id, 11, 12, 1, 2));
        for (RelayTestClient other : players.subList(1, players.size())) {
            assertThat(RelayTestClient.decimal(other.awaitEvent("velocity", id), "x")).isEqualTo(11.0);
        }
        players.forEach(p -> p.close(1000));
        for (RelayTestClient p : players) {
            assertThat(p.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void universesSpreadOverTheLoopsEachOnTheLoopItsNameChooses() {
        Set<EventLoop> used = new HashSet<>();
        List<RelayTestClient> players = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            String universe = "spread-" + u;
            String name = "spreader-" + u;
            players.add(relay.joinAs(universe, name, BIN));
            ConnectionProbe probe = relay.probe(name);
            assertThat(probe.loop()).isSameAs(affinity.loopsOf(probe.connectionChannel()).of(universe));
            used.add(probe.loop());
        }
        assertThat(affinity.loopsOf(relay.probe("spreader-0").connectionChannel()).size()).isEqualTo(4);
        assertThat(used).as("12 universes over 4 loops").hasSizeGreaterThan(1);
        players.forEach(p -> p.close(1000));
    }

    @Test
    void aRefusedHandshakeIsAnsweredAndClosedOnTheLoopItMovedTo() {
        // no token: the security filter answers 401 after the request moved, and the edge guard
        // still closes the connection after that answer; 4 universes: at least one moves
        for (int u = 0; u < 4; u++) {
            RawHttp.Response response = RawHttp.refusedAndClosed(null, relay.port(),
                    RawHttp.upgrade(relay.port(), "/ws/universes/refused-" + u), "a handshake without a token");
            assertThat(response.status()).isEqualTo(401);
        }
        RelayTestClient bystander = relay.joinAs("refused-0", "after-refusals", BIN);
        bystander.fence();
        bystander.close(1000);
    }

    @Test
    void aKeepAliveConnectionMovesWhenItsLaterRequestIsAHandshake() {
        for (int u = 0; u < 4; u++) { // at least one of the 4 universes is on another loop than the accepting one
            try (RawHttp socket = RawHttp.open(null, relay.port())) {
                assertThat(socket.send(RawHttp.get(relay.port(), "/health")).read().status()).isEqualTo(200);
                RawHttp.Response upgraded = socket.send(RawHttp.upgrade(relay.port(),
                        "/ws/universes/keepalive-" + u + "?access_token=" + TestTokens.token("keeper-" + u),
                        "Sec-WebSocket-Protocol: " + BIN)).read();
                assertThat(upgraded.status()).isEqualTo(101);
                ConnectionProbe probe = relay.probe("keeper-" + u);
                assertThat(probe.loop()).isSameAs(affinity.loopsOf(probe.connectionChannel()).of("keepalive-" + u));
            }
        }
    }
}
