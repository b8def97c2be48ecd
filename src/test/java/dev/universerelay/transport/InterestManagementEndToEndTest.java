package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.list;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Interest management over real sockets (docs/protocol.md section 13): only universes named by
 * {@code relay.interest.universes} use it, players far apart see nothing of each other, and
 * coming together and parting again shows and hides them, on both wires.
 */
@MicronautTest
@Property(name = "relay.interest.universes", value = "open-*")
@Property(name = "relay.interest.tick", value = "50ms")
@Property(name = "relay.interest.max-radius", value = "2000")
class InterestManagementEndToEndTest {
    /** Long enough for several interest ticks. */
    private static final int A_FEW_TICKS = 3;
    private static long pingNumber = 1_000;

    @Inject
    Relay relay;

    @Test
    void playersFarApartSeeNothingOfEachOtherUntilTheyComeTogetherAndAreHiddenAfterParting() {
        RelayTestClient ada = relay.join("open-space", "ada", BIN);
        ada.send(new ClientMessage.View(0, 0, 500));
        long adaShip = ada.spawn(1, 0, 0, 0, 0);
        RelayTestClient bob = relay.join("open-space", "bob", JSON);
        bob.send(new ClientMessage.View(5000, 0, 500));
        long bobShip = bob.spawn(2, 5000, 0, 0, 0); // refs differ: spawn echoes go to everyone
        bob.awaitEvent("hidden", adaShip); // bob saw everything until its first view

        afterTicks(ada, bob);
        assertThat(events(ada, bobShip)).isEmpty();
        assertThat(events(bob, adaShip)).containsExactly("hidden");

        // ada flies over to bob, her view following her ship.
        ada.send(new ClientMessage.Move(adaShip, 4800, 0, 0, 0), new ClientMessage.View(4800, 0, 500));
        Map<String, Object> seenByAda = ada.awaitEvent("appeared", bobShip);
        assertThat(RelayTestClient.decimal(seenByAda, "x")).isEqualTo(5000.0);
        assertThat(number(seenByAda, "ref")).isZero();
        Map<String, Object> seenByBob = bob.awaitEvent("appeared", adaShip);
        assertThat(RelayTestClient.decimal(seenByBob, "x")).isEqualTo(4800.0);

        // While together, moves go through.
        bob.send(new ClientMessage.Move(bobShip, 5010, 0, 0, 0));
        ada.awaitEvent("velocity", bobShip);

        // ada flies home: she stops seeing bob at once; bob, still shown her ship until the next tick,
        // gets her move and then hidden.
        ada.send(new ClientMessage.Move(adaShip, 0, 0, 0, 0), new ClientMessage.View(0, 0, 500));
        ada.awaitEvent("hidden", bobShip);
        await().atMost(Duration.ofSeconds(5)).until(() -> events(bob, adaShip).size() == 4);
        bob.send(new ClientMessage.Move(bobShip, 5020, 0, 0, 0));
        afterTicks(ada, bob);

        assertThat(events(ada, bobShip)).containsExactly("appeared", "velocity", "hidden");
        assertThat(events(bob, adaShip)).containsExactly("hidden", "appeared", "velocity", "hidden");
    }

    @Test
    void aPlayerBackWithinItsGracePeriodKeepsItsViewAndGetsOnlyItsAreaInTheWelcome() {
        String token = relay.login("ada");
        RelayTestClient ada = relay.connect("open-resume", token, BIN);
        ada.awaitType("welcome");
        RelayTestClient bob = relay.join("open-resume", "bob", JSON);
        long near = bob.spawn(1, 100, 0, 0, 0);
        long far = bob.spawn(2, 8000, 0, 0, 0);
        ada.send(new ClientMessage.View(0, 0, 500));
        ada.awaitEvent("hidden", far);
        long own = ada.spawn(7, -9000, 0, 0, 0); // a ref of its own: bob's spawns echoed ref 1 to everyone

        ada.drop();
        RelayTestClient again = relay.connect("open-resume", token, BIN);

        List<Map<String, Object>> entities = list(again.awaitType("welcome"), "entities");
        assertThat(entities).extracting(e -> number(e, "id")).containsExactlyInAnyOrder(near, own);
    }

    @Test
    void aUniverseNotMatchingThePatternsIgnoresViewsAndShowsEverything() {
        RelayTestClient ada = relay.join("arena", "ada", BIN);
        RelayTestClient bob = relay.join("arena", "bob", JSON);
        ada.send(new ClientMessage.View(0, 0, 500));
        bob.send(new ClientMessage.View(5000, 0, 500));
        long adaShip = ada.spawn(1, 0, 0, 0, 0);
        long bobShip = bob.spawn(2, 5000, 0, 0, 0); // refs differ: spawn echoes go to everyone
        bob.awaitEvent("appeared", adaShip);
        ada.awaitEvent("appeared", bobShip);
        ada.send(new ClientMessage.Move(adaShip, 10, 0, 0, 0));
        bob.awaitEvent("velocity", adaShip);

        afterTicks(ada, bob);
        assertThat(ada.receivedOfType("hidden")).isEmpty();
        assertThat(bob.receivedOfType("hidden")).isEmpty();
        assertThat(ada.receivedOfType("error")).isEmpty();
        assertThat(bob.receivedOfType("error")).isEmpty();
    }

    @Test
    void aBadViewIsRefusedInEveryUniverse() {
        for (String universe : List.of("open-checks", "checks")) {
            RelayTestClient ada = relay.join(universe, "ada", JSON);
            ada.sendText("{\"t\":\"view\",\"x\":0,\"y\":0,\"r\":2001}");
            assertThat(ada.awaitError("bad_message").get("msg").toString()).contains("radius");
            ada.send(new ClientMessage.View(200_000, 0, 10));
            ada.awaitError("out_of_bounds");
            ada.sendText("{\"t\":\"view\",\"x\":0,\"y\":0}");
            await().atMost(Duration.ofSeconds(5)).until(() -> ada.receivedOfType("error").size() == 3);
            assertThat(ada.receivedOfType("error")).last().extracting(m -> m.get("code")).isEqualTo("bad_message");
        }
    }

    /** The delta events a client got about one entity, by type, in order. */
    private static List<Object> events(RelayTestClient client, long id) {
        return client.received().stream()
                .filter(m -> m.get("id") instanceof Number && number(m, "id") == id && !"welcome".equals(m.get("t")))
                .map(m -> m.get("t")).toList();
    }

    /**
     * Waits until a few interest ticks have run after this point, and then until each client has
     * the pong of a fresh ping: whatever those ticks showed or hid has arrived by then (a
     * connection's messages arrive in the order they were queued), so an absence is exact.
     */
    private void afterTicks(RelayTestClient... clients) {
        double ticks = relay.metric("relay_interest_sweep_seconds_count");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.metric("relay_interest_sweep_seconds_count") >= ticks + A_FEW_TICKS);
        for (RelayTestClient client : clients) {
            long c = ++pingNumber;
            client.send(new ClientMessage.Ping(c));
            client.awaitMessage(m -> "pong".equals(m.get("t")) && number(m, "c") == c);
        }
    }
}
