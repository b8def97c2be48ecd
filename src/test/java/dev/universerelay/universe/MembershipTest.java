package dev.universerelay.universe;

import static dev.universerelay.universe.UniverseParts.link;
import static dev.universerelay.universe.UniverseParts.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import org.junit.jupiter.api.Test;

/**
 * The one way in and the one way out, whatever the arrival (new, taking over, from another node,
 * mirrored) or departure (clean, after the grace period, kicked, spectator).
 */
class MembershipTest {
    static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 5, 100, 10_000);

    final UniverseParts u = new UniverseParts(new UniverseSettings(LIMITS, 2, 10_000, InterestSettings.OFF, 1));

    static PlayerIdentity identity(String subject, String origin) {
        return new PlayerIdentity(subject, subject, false, origin);
    }

    @Test
    void aNewPlayerIsWelcomedAndAnnouncedToTheOthersOnly() {
        Player ada = u.join("ada", false);
        Player bob = u.join("bob", false);
        Player sue = u.join("sue", true);
        assertThat(types(ada)).containsExactly("welcome", "joined");
        assertThat(types(bob)).containsExactly("welcome");
        assertThat(types(sue)).containsExactly("welcome");
        assertThat(link(sue).welcome().players()).extracting(ServerMessage.PlayerInfo::player)
                .containsExactly(ada.number(), bob.number());
        assertThat(sue.number()).isNotIn(ada.number(), bob.number());
    }

    @Test
    void theUniverseEnforcesCapAndOriginShareOnlyWhenItNumbersPlayersItself() {
        RecordingLink first = new RecordingLink("first");
        assertThat(u.membership.join(identity("ada", "10.0.0.1"), first, null)).isInstanceOf(JoinResult.Entered.class);
        assertThat(u.membership.wouldExceedOriginShare(identity("eve", "10.0.0.1"))).isTrue();
        assertThat(u.membership.wouldExceedOriginShare(identity("ada", "10.0.0.1"))).as("taking over").isFalse();
        assertThat(u.membership.join(identity("eve", "10.0.0.1"), new RecordingLink("eve"), null))
                .isInstanceOf(JoinResult.OriginShareFull.class);
        u.join("bob", false);
        assertThat(u.membership.join(identity("carl", null), new RecordingLink("carl"), null)).isInstanceOf(JoinResult.Full.class);
        // with a number from the cluster, the cluster has counted across nodes already
        assertThat(u.membership.join(identity("carl", "10.0.0.1"), new RecordingLink("carl"), 40L))
                .isEqualTo(new JoinResult.Entered(u.roster.player(40), false));
    }

    @Test
    void aSubjectAlreadyHereTakesItsPlaceOverAndTheOlderConnectionGets4009() {
        Player ada = u.join("ada", false);
        u.spawn(ada, 1, 1);
        Player bob = u.join("bob", false);
        RecordingLink old = link(ada);
        RecordingLink again = new RecordingLink("ada-2");

        JoinResult result = u.membership.join(identity("ada", null), again, null);

        assertThat(result).isEqualTo(new JoinResult.Entered(ada, true));
        assertThat(old.closeCodes).containsExactly(CloseCodes.REPLACED);
        assertThat(again.welcome().entities()).hasSize(1);
        assertThat(types(bob)).as("no joined for a player taking its place over").containsExactly("welcome");
    }

    @Test
    void aMirroredPlayerOfAnotherNodeIsAnnouncedOnceAndArrivesWithItsNumber() {
        Player ada = u.join("ada", false);
        ReplicatedChange.MemberJoined joined = new ReplicatedChange.MemberJoined(40, "far", "far");
        u.membership.mirror(joined);
        u.membership.mirror(joined);
        Player far = u.roster.player(40);
        assertThat(far.isRemote()).isTrue();
        assertThat(types(ada)).containsExactly("welcome", "joined");

        RecordingLink link = new RecordingLink("far-here");
        assertThat(u.membership.join(identity("far", null), link, 40L)).isEqualTo(new JoinResult.Entered(far, true));
        assertThat(far.isRemote()).isFalse();
        assertThat(link.welcome().you()).isEqualTo(40);
        u.spawn(ada, 1, 1);
        assertThat(link.of(ServerMessage.Appeared.class)).as("now served here, it sees what happens").hasSize(1);
        assertThat(types(ada)).as("no second joined").containsExactly("welcome", "joined", "appeared");
    }

    @Test
    void aPlayerLeavingForGoodHasItsEntitiesDestroyedThenLeavesOnEveryNode() {
        Player ada = u.join("ada", false);
        Player bob = u.join("bob", false);
        Entity one = u.spawn(ada, 1, 1);
        Entity two = u.spawn(ada, 2, 2);
        link(bob).drain();
        u.published.clear();

        u.membership.disconnect(ada, true);

        assertThat(u.published).containsExactly(new ReplicatedChange.EntityRemoved(one.id, u.clock.get()),
                new ReplicatedChange.EntityRemoved(two.id, u.clock.get()), new ReplicatedChange.MemberLeft(ada.number()));
        assertThat(types(bob)).containsExactly("destroyed", "destroyed", "left");
        assertThat(u.entities.size()).isZero();
        assertThat(u.roster.player(ada.number())).isNull();
    }

    @Test
    void aDroppedPlayerKeepsItsPlaceForTheGracePeriodAndASpectatorGoesAtOnceWithoutATrace() {
        Player ada = u.join("ada", false);
        Player sue = u.join("sue", true);
        u.published.clear();

        u.membership.disconnect(ada, false);
        u.membership.disconnect(sue, false);
        assertThat(u.roster.player(ada.number())).isSameAs(ada);
        assertThat(u.roster.member(sue.number())).isNull();
        assertThat(u.published).isEmpty();

        u.clock.addAndGet(9_999);
        u.membership.expireGrace();
        assertThat(u.roster.player(ada.number())).isSameAs(ada);
        u.clock.addAndGet(1);
        u.membership.expireGrace();
        assertThat(u.roster.player(ada.number())).isNull();
        assertThat(u.published).containsExactly(new ReplicatedChange.MemberLeft(ada.number()));
    }

    @Test
    void aKickedMemberIsRemovedBeforeItsConnectionIsClosedAndRemoteMembersCannotBeKicked() {
        Player ada = u.join("ada", false);
        RecordingLink adas = link(ada);
        u.membership.mirror(new ReplicatedChange.MemberJoined(40, "far", "far"));
        u.spawn(ada, 1, 1);
        assertThat(u.membership.kick(40, CloseCodes.POLICY_VIOLATION, "no")).isFalse();
        assertThat(u.membership.kick(ada.number(), CloseCodes.POLICY_VIOLATION, "no")).isTrue();
        assertThat(adas.closeCodes).containsExactly(CloseCodes.POLICY_VIOLATION);
        assertThat(adas.messages).extracting(ServerMessage::type).as("it is not told of its own departure")
                .containsExactly("welcome", "joined", "appeared");
        assertThat(u.membership.kick(ada.number(), CloseCodes.POLICY_VIOLATION, "no")).isFalse();
    }
}
