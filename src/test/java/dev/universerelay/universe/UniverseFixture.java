package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.Appeared;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One universe without any transport, for the domain's tests: a clock the test moves by hand,
 * members whose links record what they are sent, a fan-out that records each call (message type and
 * number of recipients) before it delivers, and one call per action that asserts it was accepted.
 * A test extends it and builds its {@link #universe} with {@link #create}.
 */
abstract class UniverseFixture {
    static final long T0 = 1_763_830_000_000L;

    final AtomicLong clock = new AtomicLong(T0);
    final AtomicInteger tokens = new AtomicInteger();
    /** Every link {@link #link} made, in order. */
    final List<RecordingLink> allLinks = new ArrayList<>();
    /** Every fan-out call: the message's type and how many recipients it had, e.g. {@code "appeared x2"}. */
    final List<String> fanouts = new ArrayList<>();
    Universe universe;

    /** A member as the test holds it: its player and the link that records what it gets. */
    record Member(Player player, RecordingLink link) {
        long number() {
            return player.number();
        }
    }

    /** A single-node universe on the fixture's clock; resume tokens are {@code resume-1}, {@code resume-2}, ... */
    Universe create(String name, UniverseSettings settings) {
        return create(name, settings, InterestObserver.NONE);
    }

    Universe create(String name, UniverseSettings settings, InterestObserver observer) {
        Fanout recording = (message, recipients) -> {
            fanouts.add(message.type() + " x" + recipients.size());
            Fanout.EACH.send(message, recipients);
        };
        return new Universe(name, settings, clock::get, recording, () -> "resume-" + tokens.incrementAndGet(), observer,
                Cluster.SINGLE_NODE);
    }

    RecordingLink link(String label) {
        RecordingLink link = new RecordingLink(label);
        allLinks.add(link);
        return link;
    }

    static PlayerIdentity player(String subject) {
        return new PlayerIdentity(subject, subject, false);
    }

    static PlayerIdentity spectatorIdentity(String subject) {
        return new PlayerIdentity(subject, subject, true);
    }

    /** A new player: it gets its welcome and nothing else. */
    Member join(String subject) {
        return enter(player(subject));
    }

    Member spectator(String subject) {
        return enter(spectatorIdentity(subject));
    }

    private Member enter(PlayerIdentity identity) {
        RecordingLink link = link(identity.subject());
        JoinResult result = universe.join(identity, link);
        assertThat(result).as("join of %s", identity).isInstanceOf(JoinResult.Entered.class);
        JoinResult.Entered entered = (JoinResult.Entered) result;
        assertThat(entered.resumed()).isFalse();
        assertThat(link.messages).hasSize(1).first().isInstanceOf(ServerMessage.Welcome.class);
        return new Member(entered.player(), link);
    }

    /** Spawns (kind 7) and returns the new entity's id, learnt from the owner's {@code appeared}. */
    long spawn(Member owner, long ref, float x, float y, float vx, float vy) {
        int before = owner.link.messages.size();
        assertThat(universe.apply(owner.player, owner.link, new ClientMessage.Spawn(ref, 7, x, y, vx, vy))).isNull();
        List<ServerMessage> after = owner.link.messages.subList(before, owner.link.messages.size());
        assertThat(after).hasSize(1).first().isInstanceOf(Appeared.class);
        Appeared appeared = (Appeared) after.get(0);
        assertThat(appeared.ref()).isEqualTo(ref);
        assertThat(appeared.owner()).isEqualTo(owner.number());
        return appeared.id();
    }

    void move(Member owner, long id, float x, float y, float vx, float vy) {
        assertThat(universe.apply(owner.player, owner.link, new ClientMessage.Move(id, x, y, vx, vy))).isNull();
    }

    void destroy(Member owner, long id) {
        assertThat(universe.apply(owner.player, owner.link, new ClientMessage.Destroy(id))).isNull();
    }

    void view(Member member, float x, float y, float r) {
        assertThat(universe.apply(member.player, member.link, new ClientMessage.View(x, y, r))).isNull();
    }

    /** Moves the clock on and runs one interest management tick. */
    void tick(long millis) {
        clock.addAndGet(millis);
        universe.sweepInterest();
    }

    /** Forgets what every link received so far. */
    void drainAll() {
        allLinks.forEach(RecordingLink::drain);
    }

    static void drainAll(Member... members) {
        for (Member m : members) {
            m.link.drain();
        }
    }

    void assertNoMessages() {
        for (RecordingLink link : allLinks) {
            assertThat(link.messages).as("messages to %s", link).isEmpty();
        }
    }

    static List<String> types(Member member) {
        return member.link.messages.stream().map(ServerMessage::type).toList();
    }

    static void assertRejected(Rejection rejection, ErrorCode code) {
        assertThat(rejection).isNotNull();
        assertThat(rejection.code()).isEqualTo(code);
        assertThat(rejection.message()).isNotBlank();
    }
}
