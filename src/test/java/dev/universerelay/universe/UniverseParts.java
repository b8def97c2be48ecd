package dev.universerelay.universe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parts of one universe wired as {@link Universe} wires them, without its lock, for tests of one
 * part at a time: what is sent goes to recording links, what would go to other nodes is recorded in
 * {@link #published}.
 */
final class UniverseParts {
    final AtomicLong clock = new AtomicLong(1_000_000);
    final Roster roster = new Roster();
    final Entities entities = new Entities();
    /** What the replication was given, in order. */
    final List<ReplicatedChange> published = new ArrayList<>();
    final Recipients recipients = new Recipients(Fanout.EACH);
    final Visibility visibility;
    final World world;
    final Membership membership;
    private long nextEntityId = 1;

    UniverseParts(UniverseSettings settings) {
        visibility = Visibility.of(settings, clock.get(), roster, entities, recipients, InterestObserver.NONE);
        world = new World(entities, visibility);
        membership = new Membership("parts", settings, clock::get, () -> "token", roster, visibility, world, recipients,
                new Replication() {
                    @Override
                    public void load() {
                    }

                    @Override
                    public long nextEntityId() {
                        return nextEntityId++;
                    }

                    @Override
                    public void reserveEntityIds() {
                    }

                    @Override
                    public void publish(ReplicatedChange change) {
                        published.add(change);
                    }

                    @Override
                    public void close() {
                    }
                });
    }

    /** A member of this node, joined through the one join path (numbered by the universe). */
    Player join(String subject, boolean spectator) {
        JoinResult result = membership.join(new PlayerIdentity(subject, subject, spectator), new RecordingLink(subject), null);
        return ((JoinResult.Entered) result).player();
    }

    /** An entity of {@code owner} spawned at {@code (x, y)}, at rest. */
    Entity spawn(Player owner, float x, float y) {
        return world.spawn(nextEntityId++, owner, 1, x, y, 0, 0, clock.get(), 0);
    }

    static RecordingLink link(Player member) {
        return (RecordingLink) member.link;
    }

    static List<String> types(Player member) {
        return link(member).messages.stream().map(m -> m.type()).toList();
    }
}
