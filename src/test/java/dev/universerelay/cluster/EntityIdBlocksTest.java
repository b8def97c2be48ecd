package dev.universerelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The rule for entity ids in cluster mode: blocks reserved ahead, a refusal instead of a wait. */
class EntityIdBlocksTest {
    final List<CompletableFuture<Long>> asked = new ArrayList<>();
    final EntityIdBlocks ids = new EntityIdBlocks(4, count -> {
        assertThat(count).isEqualTo(4);
        CompletableFuture<Long> answer = new CompletableFuture<>();
        asked.add(answer);
        return answer;
    });

    @Test
    void idsComeFromTheFirstBlockThenFromTheOneReservedWhenHalfWasLeft() {
        ids.add(4); // ids 1..4, reserved while loading
        assertThat(ids.take()).isEqualTo(1);
        ids.topUp();
        assertThat(asked).isEmpty(); // three left of four: not low yet
        assertThat(ids.take()).isEqualTo(2);
        ids.topUp();
        assertThat(asked).hasSize(1); // two left: the next block is asked for, once
        ids.topUp();
        assertThat(asked).hasSize(1);
        asked.get(0).complete(12L); // another node took 5..8: this one has 9..12
        assertThat(List.of(ids.take(), ids.take(), ids.take(), ids.take())).containsExactly(3L, 4L, 9L, 10L);
    }

    @Test
    void withNoIdLeftTakeRefusesAtOnceAndTheNextTopUpAsksAgainAfterAFailure() {
        ids.add(4);
        for (int i = 0; i < 4; i++) {
            ids.take();
            ids.topUp();
        }
        assertThat(asked).hasSize(1);
        assertThatThrownBy(ids::take).isInstanceOf(IllegalStateException.class).hasMessageContaining("on its way");
        asked.get(0).completeExceptionally(new IllegalStateException("Redis is unreachable"));
        assertThatThrownBy(ids::take).isInstanceOf(IllegalStateException.class);
        ids.topUp();
        assertThat(asked).hasSize(2);
        asked.get(1).complete(8L);
        assertThat(ids.take()).isEqualTo(5);
    }

    @Test
    void aReservationRefusedOnTheSpotDoesNotStopTheNextOne() {
        int[] calls = {0};
        EntityIdBlocks refusing = new EntityIdBlocks(2, count -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("queue full");
            }
            CompletionStage<Long> done = CompletableFuture.completedFuture(4L);
            return done;
        });
        refusing.topUp();
        refusing.topUp();
        assertThat(calls[0]).isEqualTo(2);
        assertThat(refusing.take()).isEqualTo(3);
    }
}
