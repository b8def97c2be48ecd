package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseMember;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A seeded, bounded storm of joins, spawns, moves, destroys, clean closes, drops, resumes and
 * replacements over a few hundred connections, then the invariants users rely on: no event
 * crosses universes, ids and player numbers are never reused, no entity outlives its owner, and
 * everything is gone once everyone has left.
 */
@MicronautTest
@Property(name = "relay.session.resume-grace", value = "600ms")
@Property(name = "relay.limits.rate", value = "1000")
@Property(name = "relay.limits.burst", value = "1000")
@Property(name = "relay.session.max-connections-per-address", value = "1000")
class ChurnSoakTest {
    private static final int UNIVERSES = 4;
    private static final int SUBJECTS = 48;
    private static final int OPERATIONS = 1200;
    private static final float BAND = 10_000;

    @Inject
    Relay relay;
    @Inject
    UniverseRegistry registry;
    @Inject
    ConnectionIndex connections;

    private final Random random = new Random(20261123);
    private final Map<Integer, RelayTestClient> live = new HashMap<>();
    private final Map<Integer, List<Long>> owned = new HashMap<>();
    private final List<RelayTestClient> everyClient = new ArrayList<>();
    private final List<Integer> clientSubject = new ArrayList<>();
    private int nextRef = 1;

    private static String universe(int subject) {
        return "churn-" + (subject % UNIVERSES);
    }

    private float inBand(int subject) {
        return (subject % UNIVERSES) * BAND + random.nextInt(1000);
    }

    private void connect(int subject) {
        String token = TestTokens.token("subject-" + subject, Map.of("name", "s" + subject));
        RelayTestClient client = relay.connect(universe(subject), token, random.nextBoolean() ? BIN : JSON);
        everyClient.add(client);
        clientSubject.add(subject);
        live.put(subject, client); // a previous connection of the subject, if open, is replaced (4009)
        client.awaitType("welcome");
        List<Map<String, Object>> entities = client.welcomeEntities();
        long you = number(client.receivedOfType("welcome").get(0), "you");
        owned.put(subject, new ArrayList<>(entities.stream().filter(e -> number(e, "o") == you).map(e -> number(e, "id")).toList()));
    }

    @Test
    void invariantsHoldAfterARandomisedChurn() {
        for (int op = 0; op < OPERATIONS; op++) {
            int subject = random.nextInt(SUBJECTS);
            RelayTestClient client = live.get(subject);
            if (client == null || client.isClosed()) {
                connect(subject);
                continue;
            }
            int choice = random.nextInt(100);
            List<Long> mine = owned.get(subject);
            if (choice < 30) {
                long id = client.spawn(nextRef++, inBand(subject), 0, 1, 0);
                mine.add(id);
            } else if (choice < 60 && !mine.isEmpty()) {
                client.send(new ClientMessage.Move(mine.get(random.nextInt(mine.size())), inBand(subject), 1, 2, 0));
            } else if (choice < 70 && !mine.isEmpty()) {
                client.send(new ClientMessage.Destroy(mine.remove(random.nextInt(mine.size()))));
            } else if (choice < 78) {
                client.close(1000);
                live.remove(subject);
            } else if (choice < 86) {
                client.drop(); // grace, then gone unless the subject comes back in time
                live.remove(subject);
            } else if (choice < 92) {
                connect(subject); // replaces the open connection: 4009 for the old one
                assertThat(client.awaitClose()).isEqualTo(4009);
            }
        }

        long open = live.values().stream().filter(c -> !c.isClosed()).count();
        assertThat(connections.size()).as("the node's index sees the open connections").isGreaterThanOrEqualTo((int) open).isPositive();
        assertThat(registry.size()).isPositive();
        // Mid-flight invariant: every entity's owner is a member of its universe.
        for (Universe universe : registry.all()) {
            Set<Long> members = universe.members().stream().map(UniverseMember::player).collect(Collectors.toSet());
            assertThat(universe.entities()).extracting(ServerMessage.Appeared::owner).allMatch(members::contains);
        }

        live.values().forEach(c -> {
            if (!c.isClosed()) {
                c.close(1000);
            }
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.size() == 0 && connections.size() == 0);
        assertThat(everyClient.size()).as("connections made").isGreaterThan(200);
        assertThat(relay.get("/api/universes").body()).isEqualTo("[]");

        Map<String, Map<Long, Integer>> numberOwners = new HashMap<>();
        for (int i = 0; i < everyClient.size(); i++) {
            RelayTestClient client = everyClient.get(i);
            int subject = clientSubject.get(i);
            float low = (subject % UNIVERSES) * BAND;
            Set<Long> destroyed = new HashSet<>();
            for (Map<String, Object> m : client.received()) {
                Object type = m.get("t");
                if ("appeared".equals(type) || "velocity".equals(type)) {
                    assertThat(RelayTestClient.decimal(m, "x")).as("event of another universe: %s", m).isBetween((double) low, low + 1000.0);
                }
                if ("appeared".equals(type)) {
                    assertThat(destroyed).as("entity id reused: %s", m).doesNotContain(number(m, "id"));
                } else if ("destroyed".equals(type)) {
                    destroyed.add(number(m, "id"));
                } else if ("welcome".equals(type)) {
                    Integer previous = numberOwners.computeIfAbsent(universe(subject), u -> new HashMap<>())
                            .putIfAbsent(number(m, "you"), subject);
                    assertThat(previous == null || previous == subject).as("player number %s given to two players", m.get("you")).isTrue();
                }
            }
        }
    }
}
