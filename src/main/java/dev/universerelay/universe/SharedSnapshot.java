package dev.universerelay.universe;

import java.util.ArrayList;
import java.util.List;

/**
 * What the shared store holds of a universe: its members, each with the node holding it ({@code ""}
 * while orphaned) and its view, and its entities' last states. A node builds its copy from it when
 * it starts serving the universe, and checks its copy against it after missing changes
 * ({@link CatchUp}).
 */
public record SharedSnapshot(List<Member> members, List<ReplicatedChange.EntitySet> entities) {

    /** A member; {@code view} is null when it sent none. */
    public record Member(ReplicatedChange.MemberJoined joined, String node, ReplicatedChange.MemberView view) {
    }

    /** The snapshot as changes that build a copy from nothing. */
    public List<ReplicatedChange> changes() {
        List<ReplicatedChange> changes = new ArrayList<>(members.size() + entities.size());
        for (Member m : members) {
            changes.add(m.joined());
            if (m.view() != null) {
                changes.add(m.view());
            }
        }
        changes.addAll(entities);
        return changes;
    }
}
