package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import org.junit.jupiter.api.Test;

/** The rules alone: what each action is checked for, in which order, and what the refusal says. */
class RulesTest {
    static final LimitsInfo LIMITS = new LimitsInfo(30, 60, 2, 100, 1000);
    final Rules rules = new Rules(new UniverseSettings(LIMITS, 0, 0, new InterestSettings(false, 100, 500)));
    final Player ada = new Player(1, new PlayerIdentity("ada", "ada", false), new RecordingLink("ada"));
    final Player bob = new Player(2, new PlayerIdentity("bob", "bob", false), new RecordingLink("bob"));

    @Test
    void aSpawnIsCheckedForBoundsThenSpeedThenTheOwnersAllowance() {
        assertThat(rules.checkSpawn(ada, new ClientMessage.Spawn(1, 1, 1000, -1000, 60, 80))).isNull(); // edges included
        assertThat(rules.checkSpawn(ada, new ClientMessage.Spawn(1, 1, 1000.5f, 0, 0, 0)))
                .isEqualTo(new Rejection(ErrorCode.OUT_OF_BOUNDS, "coordinates must be finite and within ±1000"));
        assertThat(rules.checkSpawn(ada, new ClientMessage.Spawn(1, 1, 0, Float.NaN, 0, 0)).code()).isEqualTo(ErrorCode.OUT_OF_BOUNDS);
        assertThat(rules.checkSpawn(ada, new ClientMessage.Spawn(1, 1, 0, 0, 61, 80)))
                .isEqualTo(new Rejection(ErrorCode.TOO_FAST, "speed must be finite and at most 100"));
        assertThat(rules.checkSpawn(ada, new ClientMessage.Spawn(1, 1, 0, 0, Float.POSITIVE_INFINITY, 0)).code())
                .isEqualTo(ErrorCode.TOO_FAST);

        ada.entityIds.add(10L);
        ada.entityIds.add(11L);
        assertThat(rules.checkSpawn(ada, new ClientMessage.Spawn(1, 1, 0, 0, 0, 0)))
                .isEqualTo(new Rejection(ErrorCode.TOO_MANY_ENTITIES, "a player may own at most 2 entities"));
        assertThat(rules.checkSpawn(ada, new ClientMessage.Spawn(1, 1, 5000, 0, 0, 0)).code())
                .as("a bad state is reported before the count").isEqualTo(ErrorCode.OUT_OF_BOUNDS);
    }

    @Test
    void aMoveIsCheckedForTheEntityThenItsOwnerThenTheNewState() {
        Entity adas = new Entity(7, ada, 1);
        ClientMessage.Move outside = new ClientMessage.Move(7, 5000, 0, 0, 0);
        assertThat(rules.checkMove(ada, null, outside))
                .isEqualTo(new Rejection(ErrorCode.UNKNOWN_ENTITY, "no entity 7 in this universe"));
        assertThat(rules.checkMove(bob, adas, outside))
                .isEqualTo(new Rejection(ErrorCode.NOT_OWNER, "entity 7 belongs to player 1"));
        assertThat(rules.checkMove(ada, adas, outside).code()).isEqualTo(ErrorCode.OUT_OF_BOUNDS);
        assertThat(rules.checkMove(ada, adas, new ClientMessage.Move(7, 1, 2, 3, 4))).isNull();
        assertThat(rules.checkOwned(ada, adas, 7)).isNull();
        assertThat(rules.checkOwned(bob, adas, 7).code()).isEqualTo(ErrorCode.NOT_OWNER);
    }

    @Test
    void aViewIsCheckedForItsRadiusThenItsCentre() {
        assertThat(rules.checkView(new ClientMessage.View(1000, -1000, 500))).isNull();
        for (float r : new float[] {0, -1, 500.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThat(rules.checkView(new ClientMessage.View(0, 0, r)))
                    .as("radius %s", r).isEqualTo(new Rejection(ErrorCode.BAD_MESSAGE, "view radius must be above 0 and at most 500"));
        }
        assertThat(rules.checkView(new ClientMessage.View(1001, 0, 10)))
                .isEqualTo(new Rejection(ErrorCode.OUT_OF_BOUNDS, "view centre must be finite and within ±1000"));
        assertThat(rules.checkView(new ClientMessage.View(Float.NaN, 0, 0)).code())
                .as("the radius is checked first").isEqualTo(ErrorCode.BAD_MESSAGE);
    }

    @Test
    void refusalsThatNeedNoCheckSayWhy() {
        assertThat(rules.readOnly().code()).isEqualTo(ErrorCode.READ_ONLY);
        assertThat(rules.noEntityId().code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(rules.noEntityId().message()).contains("try again");
    }
}
