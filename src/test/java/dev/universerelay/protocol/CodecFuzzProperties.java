package dev.universerelay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated frames never make a codec throw: every frame decodes into messages, into
 * malformed items, or into one undecodable failure with a reason.
 */
class CodecFuzzProperties {

    @Property(tries = 2000)
    void anyBytesDecodeWithoutThrowing(@ForAll @Size(max = 80) byte[] frame) {
        DecodedFrame decoded = BinaryCodec.decodeClientFrame(ByteBuffer.wrap(frame));
        if (decoded.isUndecodable()) {
            assertThat(decoded.failure()).isNotBlank();
            assertThat(decoded.items()).isEmpty();
        } else {
            int size = 0;
            for (InboundItem item : decoded.items()) {
                size += item instanceof ClientMessage m ? BinaryCodec.encode(m).length : ProtocolConstants.PING_SIZE;
            }
            assertThat(size).isEqualTo(frame.length); // decoded messages cover the frame exactly
        }
    }

    @Property(tries = 2000)
    void validBinaryFramesWithOneByteChangedNeverThrow(@ForAll("binaryMessages") byte[] valid,
                                                       @ForAll int position, @ForAll byte value) {
        byte[] mutated = valid.clone();
        mutated[Math.floorMod(position, mutated.length)] = value;
        BinaryCodec.decodeClientFrame(ByteBuffer.wrap(mutated));
    }

    @Property(tries = 2000)
    void anyTextDecodesWithoutThrowing(@ForAll @Size(max = 120) String text) {
        DecodedFrame decoded = JsonCodec.decodeClientFrame(text);
        assertThat(decoded.isUndecodable() ? decoded.failure() : "ok").isNotBlank();
    }

    @Property(tries = 3000)
    void mutatedJsonMessagesNeverThrowAndAreEitherValidOrMalformed(@ForAll("jsonMessages") String valid,
                                                                  @ForAll int position, @ForAll char replacement,
                                                                  @ForAll boolean delete) {
        int at = Math.floorMod(position, valid.length());
        String mutated = delete ? valid.substring(0, at) + valid.substring(at + 1)
                : valid.substring(0, at) + replacement + valid.substring(at + 1);
        DecodedFrame decoded = JsonCodec.decodeClientFrame(mutated);
        for (InboundItem item : decoded.items()) {
            if (item instanceof ClientMessage.Spawn s) {
                assertThat(s.kind()).isBetween(0, ProtocolConstants.U16_MAX);
                assertThat(s.ref()).isBetween(0L, ProtocolConstants.U32_MAX);
            } else if (item instanceof ClientMessage.Move m) {
                assertThat(m.id()).isBetween(0L, ProtocolConstants.U32_MAX);
            } else if (item instanceof ClientMessage.Ping p) {
                assertThat(p.clientTime()).isFinite();
            }
        }
    }

    @Provide
    Arbitrary<byte[]> binaryMessages() {
        return clientMessages().map(BinaryCodec::encode);
    }

    @Provide
    Arbitrary<String> jsonMessages() {
        return clientMessages().map(m -> new String(toJson(m), StandardCharsets.UTF_8));
    }

    private static byte[] toJson(ClientMessage m) {
        String json;
        if (m instanceof ClientMessage.Spawn s) {
            json = "{\"t\":\"spawn\",\"ref\":%d,\"k\":%d,\"x\":%s,\"y\":%s,\"vx\":%s,\"vy\":%s}"
                    .formatted(s.ref(), s.kind(), s.x(), s.y(), s.vx(), s.vy());
        } else if (m instanceof ClientMessage.Move v) {
            json = "{\"t\":\"move\",\"id\":%d,\"x\":%s,\"y\":%s,\"vx\":%s,\"vy\":%s}".formatted(v.id(), v.x(), v.y(), v.vx(), v.vy());
        } else if (m instanceof ClientMessage.Destroy d) {
            json = "{\"t\":\"destroy\",\"id\":%d}".formatted(d.id());
        } else {
            json = "{\"t\":\"ping\",\"c\":%s}".formatted(((ClientMessage.Ping) m).clientTime());
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static Arbitrary<ClientMessage> clientMessages() {
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, ProtocolConstants.U32_MAX);
        Arbitrary<Float> coordinate = Arbitraries.floats().between(-200_000, 200_000);
        Arbitrary<ClientMessage> spawn = Combinators.combine(u32, Arbitraries.integers().between(0, 65535),
                coordinate, coordinate, coordinate, coordinate).as(ClientMessage.Spawn::new);
        Arbitrary<ClientMessage> move = Combinators.combine(u32, coordinate, coordinate, coordinate, coordinate)
                .as(ClientMessage.Move::new);
        Arbitrary<ClientMessage> destroy = u32.map(ClientMessage.Destroy::new);
        Arbitrary<ClientMessage> ping = Arbitraries.doubles().between(0, 1e13).map(ClientMessage.Ping::new);
        return Arbitraries.oneOf(spawn, move, destroy, ping);
    }
}
