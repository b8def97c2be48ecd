package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * A universe split across two nodes behaves like one node for every client (docs/cluster.md): the
 * same random game is played once on a single universe and once on two copies joined by an
 * in-memory cluster that does what Redis does (claims numbers, hands out ids, delivers each
 * published change to the other copy in order). Without interest management every client gets the
 * very same messages; with it (where the order of one tick's events may differ between nodes)
 * every client ends each step believing the same world: the same players, entities and states.
 */
class ReplicationProperties {
    private static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 4, 500, 10_000);
    private static final List<String> SUBJECTS = List.of("ada", "bob", "cat", "dan");

    enum Kind { JOIN_A, JOIN_B, LEAVE, DROP, SPAWN, MOVE, DESTROY, VIEW, TICK }

    record Action(Kind kind, int who, float a, float b, float c, int pick) {
    }

    /** Two copies of one universe and the cluster between them, played as the Redis cluster would. */
    static final class TwoNodes {
        final Universe[] copies = new Universe[2];
        final Map<String, Integer> nodeOf = new HashMap<>(); // members' node, in the shared store
        long nextId = 1;

        TwoNodes(UniverseSettings settings, AtomicLong clock) {
            for (int i = 0; i < 2; i++) {
                int self = i;
                copies[i] = new Universe("open-pair", settings, clock::get, Fanout.EACH, () -> "token", InterestObserver.NONE,
                        new Cluster() {
                            @Override
                            public Replication replicate(Universe universe) {
                                return new Replication() {
                                    @Override
                                    public void load() {
                                    }

                                    @Override
                                    public void reserveEntityIds() {
                                    }

                                    @Override
                                    public long nextEntityId() {
                                        return nextId++;
                                    }

                                    @Override
                                    public void publish(ReplicatedChange change) {
                                        copies[1 - self].applyRemote(change); // in order, as a channel delivers
                                    }

                                    @Override
                                    public void close() {
                                    }
                                };
                            }

                            @Override
                            public Claim claim(String universe, PlayerIdentity identity, int maxPlayers) {
                                throw new UnsupportedOperationException("claims are played by join() below");
                            }

                            @Override
                            public boolean isReady() {
                                return true;
                            }
                        });
            }
        }

        /** What the CLAIM script and the joining node do, in that order. */
        Player join(PlayerIdentity identity, RecordingLink link, long number, int node) {
            Integer previous = identity.spectator() ? null : nodeOf.get(identity.subject());
            if (previous == null && !identity.spectator()) {
                copies[1 - node].applyRemote(new ReplicatedChange.MemberJoined(number, identity.subject(), identity.name()));
            } else if (previous != null && previous != node) {
                copies[previous].applyRemote(new ReplicatedChange.MemberMoved(number, "node-" + node));
            }
            if (!identity.spectator()) {
                nodeOf.put(identity.subject(), node);
            }
            return ((JoinResult.Entered) copies[node].joinClaimed(identity, link, number)).player();
        }
    }

    /** One client, on both sides. */
    static final class Client {
        final String subject;
        RecordingLink single;
        RecordingLink split;
        Player inSingle;
        Player inSplit;
        int node;
        boolean connected;

        Client(String subject) {
            this.subject = subject;
        }
    }

    @Property(tries = 300)
    void everyClientSeesTheSameGameOnOneNodeAndOnTwo(@ForAll("actions") @Size(max = 60) List<Action> actions,
                                                     @ForAll boolean interest) {
        AtomicLong clock = new AtomicLong(1_000_000);
        UniverseSettings settings = new UniverseSettings(LIMITS, 0, 1000, new InterestSettings(interest, 300, 2000));
        Universe single = new Universe("open-pair", settings, clock::get, Fanout.EACH, () -> "token");
        TwoNodes pair = new TwoNodes(settings, clock);

        // one spectator per node keeps each copy open, and checks what a watcher of everything sees
        List<Client> clients = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            Client eye = new Client("eye-" + node);
            eye.node = node;
            connect(single, pair, eye, node, true);
            clients.add(eye);
        }
        Map<String, Client> players = new HashMap<>();
        for (String subject : SUBJECTS) {
            Client c = new Client(subject);
            players.put(subject, c);
            clients.add(c);
        }

        for (Action action : actions) {
            Client c = players.get(SUBJECTS.get(action.who() % SUBJECTS.size()));
            switch (action.kind()) {
                case JOIN_A, JOIN_B -> connect(single, pair, c, action.kind() == Kind.JOIN_A ? 0 : 1, false);
                case LEAVE, DROP -> {
                    if (c.connected) {
                        boolean forGood = action.kind() == Kind.LEAVE;
                        single.disconnect(c.inSingle, c.single, forGood);
                        pair.copies[c.node].disconnect(c.inSplit, c.split, forGood);
                        c.connected = false;
                        if (forGood) {
                            pair.nodeOf.remove(c.subject);
                        }
                    }
                }
                case SPAWN -> act(single, pair, c, new ClientMessage.Spawn(action.pick(), 1, action.a(), action.b(),
                        action.c() / 4, -action.c() / 4));
                case MOVE -> {
                    Long id = pickEntity(single, action.pick());
                    if (id != null) {
                        act(single, pair, c, new ClientMessage.Move(id, action.a(), action.b(), action.c() / 4, 0));
                    }
                }
                case DESTROY -> {
                    Long id = pickEntity(single, action.pick());
                    if (id != null) {
                        act(single, pair, c, new ClientMessage.Destroy(id));
                    }
                }
                case VIEW -> act(single, pair, c, new ClientMessage.View(action.a() / 2, action.b() / 2,
                        Math.abs(action.c()) + 50));
                case TICK -> {
                    clock.addAndGet(100 + action.pick() % 900);
                    single.expireGrace();
                    single.sweepInterest();
                    for (Universe copy : pair.copies) {
                        copy.expireGrace();
                        copy.sweepInterest();
                    }
                    for (Client p : players.values()) {
                        if (!p.connected && p.inSingle != null && !single.localPlayerNumbers().contains(p.inSingle.number())) {
                            pair.nodeOf.remove(p.subject); // its grace ended: it left everywhere
                        }
                    }
                }
            }
            assertThat(pair.copies[0].entities()).as("copies agree after %s", action)
                    .containsExactlyInAnyOrderElementsOf(pair.copies[1].entities());
            assertThat(pair.copies[0].entities()).as("and match one node after %s", action)
                    .containsExactlyInAnyOrderElementsOf(single.entities());
            for (Client client : clients) {
                if (client.single == null) {
                    continue;
                }
                if (interest) {
                    assertThat(world(client.split)).as("%s's world after %s", client.subject, action)
                            .isEqualTo(world(client.single));
                } else {
                    assertThat(client.split.messages).as("%s's messages after %s", client.subject, action)
                            .isEqualTo(client.single.messages);
                }
            }
        }
    }

    private static void connect(Universe single, TwoNodes pair, Client c, int node, boolean spectator) {
        if (c.connected) {
            return;
        }
        PlayerIdentity identity = new PlayerIdentity(c.subject, c.subject, spectator);
        c.single = c.single == null ? new RecordingLink(c.subject) : c.single;
        c.split = c.split == null ? new RecordingLink(c.subject) : c.split;
        c.inSingle = ((JoinResult.Entered) single.join(identity, c.single)).player();
        c.inSplit = pair.join(identity, c.split, c.inSingle.number(), node);
        c.node = node;
        c.connected = true;
    }

    private static void act(Universe single, TwoNodes pair, Client c, ClientMessage message) {
        if (!c.connected) {
            return;
        }
        Rejection onOne = single.apply(c.inSingle, c.single, message);
        Rejection onTwo = pair.copies[c.node].apply(c.inSplit, c.split, message);
        assertThat(onTwo).as("%s %s", c.subject, message).isEqualTo(onOne);
    }

    private static Long pickEntity(Universe universe, int pick) {
        List<ServerMessage.Appeared> all = universe.entities();
        return all.isEmpty() ? null : all.get(pick % all.size()).id();
    }

    /** What a client believes from its messages: players by number, entities by id with their last state. */
    private static Map<String, Object> world(RecordingLink link) {
        Map<Long, String> players = new TreeMap<>();
        Map<Long, List<Object>> entities = new TreeMap<>();
        long you = -1;
        for (ServerMessage m : link.messages) {
            if (m instanceof ServerMessage.Welcome w) {
                you = w.you();
                players.clear();
                entities.clear();
                w.players().forEach(p -> players.put(p.player(), p.name()));
                w.entities().forEach(e -> entities.put(e.id(), List.of(e.owner(), e.x(), e.y(), e.vx(), e.vy(), e.serverTime())));
            } else if (m instanceof ServerMessage.Joined j) {
                players.put(j.player(), j.name());
            } else if (m instanceof ServerMessage.Left l) {
                players.remove(l.player());
            } else if (m instanceof ServerMessage.Appeared a) {
                entities.put(a.id(), List.of(a.owner(), a.x(), a.y(), a.vx(), a.vy(), a.serverTime()));
            } else if (m instanceof ServerMessage.Velocity v) {
                List<Object> known = entities.get(v.id());
                entities.put(v.id(), List.of(known == null ? -1L : known.get(0), v.x(), v.y(), v.vx(), v.vy(), v.serverTime()));
            } else if (m instanceof ServerMessage.Destroyed d) {
                entities.remove(d.id());
            } else if (m instanceof ServerMessage.Hidden h) {
                entities.remove(h.id());
            }
        }
        return Map.of("you", you, "players", players, "entities", entities);
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(3, Kind.JOIN_A), net.jqwik.api.Tuple.of(3, Kind.JOIN_B),
                net.jqwik.api.Tuple.of(1, Kind.LEAVE), net.jqwik.api.Tuple.of(1, Kind.DROP),
                net.jqwik.api.Tuple.of(4, Kind.SPAWN), net.jqwik.api.Tuple.of(6, Kind.MOVE),
                net.jqwik.api.Tuple.of(2, Kind.DESTROY), net.jqwik.api.Tuple.of(2, Kind.VIEW),
                net.jqwik.api.Tuple.of(3, Kind.TICK));
        Arbitrary<Float> coordinate = Arbitraries.floats().between(-3000, 3000);
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 3), coordinate, coordinate,
                        Arbitraries.floats().between(-800, 800), Arbitraries.integers().between(0, 1000))
                .as(Action::new).list();
    }
}
