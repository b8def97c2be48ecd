package dev.universerelay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every message kind is one the codecs and the metrics know: the {@code Kind} enums are what their
 * exhaustive switches are written over, so each record must name the right constant, and each
 * constant must be encoded, decoded and counted under the name the wire uses.
 */
class MessageKindTest {

    @Test
    void everyKindHasASampleAndEachRecordNamesItsOwn() {
        assertThat(MessageSamples.SERVER.stream().map(ServerMessage::messageKind)).containsExactly(ServerMessage.Kind.values());
        assertThat(MessageSamples.CLIENT.stream().map(ClientMessage::messageKind)).containsExactly(ClientMessage.Kind.values());
        for (ServerMessage m : MessageSamples.SERVER) {
            assertThat(m.messageKind().isDeltaEvent()).as("%s", m).isEqualTo(m instanceof ServerMessage.DeltaEvent);
        }
    }

    @Test
    void theJsonCodecWritesEachServerKindUnderItsWireName() {
        for (ServerMessage m : MessageSamples.SERVER) {
            String json = new String(JsonCodec.encodeControl(m), StandardCharsets.UTF_8);
            assertThat(json).as("%s", m).startsWith("{\"t\":\"" + m.messageKind().wireName() + "\"");
            assertThat(m.type()).isEqualTo(m.messageKind().wireName());
        }
    }

    @Test
    void eachClientKindSurvivesBothCodecsAndIsFoundByItsWireName() {
        for (ClientMessage m : MessageSamples.CLIENT) {
            assertThat(ClientMessage.Kind.ofWireName(m.type())).isEqualTo(m.messageKind());
            assertThat(BinaryCodec.decodeClientFrame(ByteBuffer.wrap(BinaryCodec.encode(m))).items())
                    .as("binary %s", m).containsExactly(m);
        }
        assertThat(ClientMessage.Kind.ofWireName("teleport")).isNull();
        assertThat(JsonCodec.decodeClientFrame("{\"t\":\"view\",\"x\":1,\"y\":2,\"r\":3}").items())
                .containsExactly(new ClientMessage.View(1, 2, 3));
    }

    @Test
    void deltaEventsRoundTripOnTheBinaryWireAndControlMessagesAreRefusedThere() {
        for (ServerMessage m : MessageSamples.SERVER) {
            if (m instanceof ServerMessage.DeltaEvent event) {
                assertThat(BinaryCodec.decodeServerFrame(ByteBuffer.wrap(BinaryCodec.encode(event))))
                        .as("%s", m).containsExactly(event);
            } else {
                assertThatThrownBy(() -> BinaryCodec.code(m.messageKind())).isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(Arrays.stream(ClientMessage.Kind.values()).map(BinaryCodec::code).distinct())
                .as("no two client kinds share a type byte").hasSize(ClientMessage.Kind.values().length);
        assertThat(Arrays.stream(ServerMessage.Kind.values()).map(ServerMessage.Kind::wireName).distinct())
                .as("no two server kinds share a name").hasSize(ServerMessage.Kind.values().length);
    }
}
