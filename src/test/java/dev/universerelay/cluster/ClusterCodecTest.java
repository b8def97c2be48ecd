package dev.universerelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.universerelay.universe.ReplicatedChange;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The bytes nodes exchange: every change survives the trip, and garbage is refused, never half-read. */
class ClusterCodecTest {

    static final List<ReplicatedChange> EXAMPLES = List.of(
            new ReplicatedChange.MemberJoined(4_294_967_295L, "sub|with ünïcode", "Ada"),
            new ReplicatedChange.MemberMoved(7, "node-b"),
            new ReplicatedChange.MemberOrphaned(8, 1_763_830_000_123L),
            new ReplicatedChange.MemberLeft(9),
            new ReplicatedChange.MemberView(10, 1.5f, -2.5f, 300f),
            new ReplicatedChange.EntitySet(true, 12, 7, 65_535, -1.5f, 2.25f, 3e4f, -4e4f, 1_763_830_000_456L, 4_294_967_295L),
            new ReplicatedChange.EntityRemoved(12, 1_763_830_000_789L));

    @Test
    void everyKindOfChangeRoundTripsWithItsOrigin() {
        for (ReplicatedChange change : EXAMPLES) {
            ClusterCodec.Envelope envelope = ClusterCodec.decode(ClusterCodec.encode("node-a", change));
            assertThat(envelope.origin()).isEqualTo("node-a");
            assertThat(envelope.change()).isEqualTo(change);
        }
    }

    @Test
    void theLayoutIsTheOneTheLuaScriptsWrite() {
        // struct.pack('>BBI4', 4, 0, 9): MemberLeft of player 9 by a script (origin "")
        assertThat(ClusterCodec.encode("", new ReplicatedChange.MemberLeft(9))).containsExactly(4, 0, 0, 0, 0, 9);
        // struct.pack('>BB', 2, 1) .. 'b' .. struct.pack('>I4B', 7, 1) .. 'b'
        assertThat(ClusterCodec.encode("b", new ReplicatedChange.MemberMoved(7, "b")))
                .containsExactly(2, 1, 'b', 0, 0, 0, 7, 1, 'b');
    }

    @Test
    void aBatchCarriesSeveralChangesInOrderAndItsOriginIsReadWithoutDecoding() {
        List<byte[]> encoded = EXAMPLES.stream().map(change -> ClusterCodec.encode("", change)).toList();
        byte[] batch = ClusterCodec.encodeBatch("node-a", encoded);
        assertThat(ClusterCodec.decodeAll(batch)).containsExactlyElementsOf(EXAMPLES);
        assertThat(ClusterCodec.decodeAll(ClusterCodec.encode("x", EXAMPLES.get(0)))).containsExactly(EXAMPLES.get(0));
        assertThat(ClusterCodec.isFrom(batch, "node-a".getBytes())).isTrue();
        assertThat(ClusterCodec.isFrom(batch, "node-ab".getBytes())).isFalse();
        assertThat(ClusterCodec.isFrom(batch, "node-b".getBytes())).isFalse();
        assertThat(ClusterCodec.isFrom(ClusterCodec.encode("", EXAMPLES.get(3)), "node-a".getBytes())).isFalse();
        assertThatThrownBy(() -> ClusterCodec.decodeAll(Arrays.copyOf(batch, batch.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
    }

    @Test
    void truncatedOverlongAndUnknownMessagesAreRefused() {
        byte[] whole = ClusterCodec.encode("node-a", EXAMPLES.get(4));
        assertThatThrownBy(() -> ClusterCodec.decode(Arrays.copyOf(whole, whole.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ClusterCodec.decode(Arrays.copyOf(whole, whole.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra bytes");
        assertThatThrownBy(() -> ClusterCodec.decode(new byte[] {42, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown cluster message type 42");
        assertThatThrownBy(() -> ClusterCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void entityStatesRoundTrip(@ForAll @LongRange(min = 0, max = 4_294_967_295L) long id,
                               @ForAll @LongRange(min = 0, max = 4_294_967_295L) long owner,
                               @ForAll @IntRange(min = 0, max = 65_535) int kind,
                               @ForAll float x, @ForAll float y, @ForAll float vx, @ForAll float vy,
                               @ForAll @LongRange(min = 0, max = 1L << 52) long time, @ForAll boolean spawned) {
        ReplicatedChange.EntitySet state = new ReplicatedChange.EntitySet(spawned, id, owner, kind, x, y, vx, vy, time);
        assertThat(ClusterCodec.decode(ClusterCodec.encode("n", state)).change()).isEqualTo(state);
    }
}
