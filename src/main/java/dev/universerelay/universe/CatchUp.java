package dev.universerelay.universe;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a node gets its copy of a universe back in line with the shared store after it may have
 * missed changes (the store or its subscription was cut, docs/cluster.md "Failures"). This node's
 * own players and entities are the truth: what the store lost of them is written again, and what
 * they did away with meanwhile is removed from it. Everything else is the other nodes' truth: the
 * copy takes it from the snapshot, including the players that were here and resumed on another node
 * meanwhile, with their entities. The decisions are here, framework-free; the cluster only reads
 * the snapshot and writes what the plan says.
 */
public final class CatchUp {

    private CatchUp() {
    }

    /**
     * What to do, in order: apply {@code applyFirst} to the copy (members this node held that moved to
     * another node, or that the store no longer knows), write {@code writeBack} to the store,
     * reconcile the copy with the other nodes' {@code others} and {@code otherStates}, then apply
     * their {@code views}.
     */
    public record Plan(List<ReplicatedChange> applyFirst, List<ReplicatedChange> writeBack,
                       List<ReplicatedChange.MemberJoined> others, List<ReplicatedChange.EntitySet> otherStates,
                       List<ReplicatedChange.MemberView> views) {

        /**
         * Carries the plan out on {@code universe}; {@code write} must return once its changes are
         * in the shared store (in their place among this node's other writes). Call with no lock held.
         */
        public void carryOut(Universe universe, Consumer<List<ReplicatedChange>> write) {
            applyFirst.forEach(universe::applyRemote);
            write.accept(writeBack);
            universe.reconcile(others, otherStates);
            views.forEach(universe::applyRemote);
        }
    }

    /**
     * The plan for a copy whose own players are {@code local} (connected or in their grace period
     * on node {@code node}) with entities in {@code localStates}, against the store's
     * {@code snapshot}; {@code now} stamps the removals it writes.
     */
    public static Plan plan(String node, Set<Long> local, List<ReplicatedChange.EntitySet> localStates,
                            SharedSnapshot snapshot, long now) {
        Set<Long> stillHere = new HashSet<>(); // local, and the store agrees: this node's truth
        Set<Long> goneHere = new HashSet<>(); // the store says this node holds them; this node let them go
        Set<Long> inStore = new HashSet<>();
        List<ReplicatedChange> applyFirst = new ArrayList<>();
        List<ReplicatedChange.MemberJoined> others = new ArrayList<>();
        List<ReplicatedChange.MemberView> views = new ArrayList<>();
        for (SharedSnapshot.Member m : snapshot.members()) {
            long number = m.joined().number();
            inStore.add(number);
            boolean ours = m.node().equals(node);
            if (ours && local.contains(number)) {
                stillHere.add(number);
            } else if (ours) {
                goneHere.add(number);
            } else if (local.contains(number)) {
                applyFirst.add(new ReplicatedChange.MemberMoved(number, m.node())); // resumed on another node meanwhile
                others.add(m.joined());
            } else {
                others.add(m.joined());
            }
            if (m.view() != null && !local.contains(number)) {
                views.add(m.view());
            }
        }
        for (Long number : local) {
            if (!inStore.contains(number)) {
                applyFirst.add(new ReplicatedChange.MemberLeft(number)); // removed while this node was away
            }
        }
        Set<Long> localEntities = new HashSet<>();
        List<ReplicatedChange> writeBack = new ArrayList<>();
        List<ReplicatedChange.EntitySet> ownStates = new ArrayList<>();
        for (ReplicatedChange.EntitySet s : localStates) {
            if (stillHere.contains(s.owner())) { // not those of members that moved away or vanished meanwhile
                localEntities.add(s.id());
                ownStates.add(s);
            }
        }
        List<ReplicatedChange.EntitySet> otherStates = new ArrayList<>();
        for (ReplicatedChange.EntitySet e : snapshot.entities()) {
            boolean ours = stillHere.contains(e.owner()) || goneHere.contains(e.owner());
            if (ours && !localEntities.contains(e.id())) {
                writeBack.add(new ReplicatedChange.EntityRemoved(e.id(), now)); // destroyed here meanwhile
            } else if (!ours) {
                otherStates.add(e);
            }
        }
        goneHere.forEach(number -> writeBack.add(new ReplicatedChange.MemberLeft(number)));
        writeBack.addAll(ownStates);
        return new Plan(applyFirst, writeBack, others, otherStates, views);
    }
}
