package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.universe.ReplicatedChange.EntityRemoved;
import dev.universerelay.universe.ReplicatedChange.EntitySet;
import dev.universerelay.universe.ReplicatedChange.MemberJoined;
import dev.universerelay.universe.ReplicatedChange.MemberLeft;
import dev.universerelay.universe.ReplicatedChange.MemberMoved;
import dev.universerelay.universe.ReplicatedChange.MemberView;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a node decides when it gets back in line with the shared store (docs/cluster.md, "Failures"). */
class CatchUpTest {
    static final long NOW = 1_763_830_000_000L;

    static SharedSnapshot.Member member(long number, String node) {
        return new SharedSnapshot.Member(new MemberJoined(number, "s" + number, "n" + number), node, null);
    }

    static EntitySet entity(long id, long owner) {
        return new EntitySet(true, id, owner, 1, id, id, 0, 0, NOW - 1);
    }

    @Test
    void thisNodesStateIsWrittenAgainAndWhatItDidAwayWithIsRemovedFromTheStore() {
        // players 1 and 2 are here; 3 left here while the store still says it is here; 2's entity 21 was destroyed here
        SharedSnapshot snapshot = new SharedSnapshot(List.of(member(1, "me"), member(2, "me"), member(3, "me")),
                List.of(entity(11, 1), entity(21, 2), entity(31, 3)));
        List<EntitySet> localStates = List.of(entity(11, 1), entity(12, 1));

        CatchUp.Plan plan = CatchUp.plan("me", Set.of(1L, 2L), localStates, snapshot, NOW);

        assertThat(plan.applyFirst()).isEmpty();
        assertThat(plan.writeBack()).containsExactly(new EntityRemoved(21, NOW), new EntityRemoved(31, NOW),
                new MemberLeft(3), entity(11, 1), entity(12, 1));
        assertThat(plan.others()).isEmpty();
        assertThat(plan.otherStates()).isEmpty();
    }

    @Test
    void otherNodesStateIsTakenFromTheStoreAndMembersThatMovedOrVanishedAreLetGoHere() {
        MemberView view = new MemberView(5, 1, 2, 300);
        SharedSnapshot snapshot = new SharedSnapshot(
                List.of(member(1, "me"), member(2, "node-b"), new SharedSnapshot.Member(new MemberJoined(5, "s5", "n5"), "", view)),
                List.of(entity(11, 1), entity(21, 2), entity(22, 2), entity(51, 5)));
        // 2 was here and resumed on node-b meanwhile, where it destroyed 23 and spawned 22; 4 was here and the
        // store removed it (its grace ended on another node's watch)
        List<EntitySet> localStates = List.of(entity(11, 1), entity(21, 2), entity(23, 2), entity(41, 4));

        CatchUp.Plan plan = CatchUp.plan("me", Set.of(1L, 2L, 4L), localStates, snapshot, NOW);

        assertThat(plan.applyFirst()).containsExactly(new MemberMoved(2, "node-b"), new MemberLeft(4));
        assertThat(plan.others()).extracting(MemberJoined::number).containsExactly(2L, 5L);
        assertThat(plan.otherStates()).containsExactly(entity(21, 2), entity(22, 2), entity(51, 5));
        assertThat(plan.views()).containsExactly(view);
        assertThat(plan.writeBack()).containsExactly(entity(11, 1)); // nothing of 2's or 4's
    }

    @Test
    void theCopyEndsAsTheStoreSaysWhenThePlanIsCarriedOut() {
        Universe copy = new Universe("shared", new UniverseSettings(ReplicaTest.LIMITS, 0, 10_000), () -> NOW, Fanout.EACH,
                () -> "token");
        RecordingLink link = new RecordingLink("one");
        copy.joinClaimed(new PlayerIdentity("s1", "n1", false), link, 1);
        copy.applyRemote(new MemberJoined(6, "s6", "n6"));
        copy.applyRemote(entity(61, 6));
        SharedSnapshot snapshot = new SharedSnapshot(List.of(member(1, "me"), member(5, "node-b")), List.of(entity(51, 5)));

        List<List<ReplicatedChange>> written = new java.util.ArrayList<>();
        CatchUp.plan("me", copy.localPlayerNumbers(), copy.localEntityStates(), snapshot, NOW).carryOut(copy, written::add);

        assertThat(written).containsExactly(List.of());
        assertThat(copy.members()).extracting(UniverseMember::player).containsExactlyInAnyOrder(1L, 5L);
        assertThat(copy.entities()).extracting(e -> e.id()).containsExactly(51L);
    }
}
