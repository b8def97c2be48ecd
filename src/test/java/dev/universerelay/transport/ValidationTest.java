package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every error code with its trigger, over a real socket, and that a refused message changes nothing. */
@MicronautTest
class ValidationTest {
    @Inject
    EmbeddedServer server;

    private int port() {
        return server.getPort();
    }

    @Test
    void eachRuleAnswersItsErrorCodeAndTheConnectionStaysOpen() {
        RelayTestClient ada = RelayTestClient.join(port(), "rules", "ada", JSON);
        RelayTestClient bob = RelayTestClient.join(port(), "rules", "bob", BIN);
        long bobs = bob.spawn(1, 0, 0, 0, 0);
        ada.awaitType("appeared");

        ada.sendText("{\"t\":\"spawn\",\"ref\":1,\"k\":\"5\",\"x\":0,\"y\":0,\"vx\":0,\"vy\":0}");
        ada.awaitError("bad_message");
        ada.send(new ClientMessage.Spawn(9, 1, 100001, 0, 0, 0));
        assertThat(number(ada.awaitError("out_of_bounds"), "ref")).isEqualTo(9);
        ada.send(new ClientMessage.Spawn(10, 1, 0, 0, 1500, 1500));
        ada.awaitError("too_fast");
        ada.send(new ClientMessage.Move(bobs, 1, 1, 0, 0));
        ada.awaitError("not_owner");
        ada.send(new ClientMessage.Destroy(999_999));
        ada.awaitError("unknown_entity");
        ada.send(new ClientMessage.Destroy(bobs));
        // Answers come in the order of the messages: once the pong of a later ping is here, every
        // error before it is too, and no other can still be on its way.
        ada.send(new ClientMessage.Ping(77));
        ada.awaitMessage(m -> "pong".equals(m.get("t")) && number(m, "c") == 77);
        assertThat(ada.receivedOfType("error")).extracting(e -> e.get("code")).containsExactly(
                "bad_message", "out_of_bounds", "too_fast", "not_owner", "unknown_entity", "not_owner");

        // Nothing of it reached bob, and the universe is unchanged for a late joiner.
        bob.send(new ClientMessage.Ping(1)).awaitType("pong");
        assertThat(bob.receivedOfType("appeared")).hasSize(1);
        assertThat(bob.receivedOfType("velocity")).isEmpty();
        assertThat(bob.receivedOfType("destroyed")).isEmpty();
        RelayTestClient late = RelayTestClient.join(port(), "rules", "late", JSON);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entities = (List<Map<String, Object>>) late.receivedOfType("welcome").get(0).get("entities");
        assertThat(entities).extracting(e -> number(e, "id")).containsExactly(bobs);
        assertThat(ada.isClosed()).isFalse();
    }

    @Test
    void malformedFramesAreBadMessagesOnBothWires() {
        RelayTestClient json = RelayTestClient.join(port(), "malformed", "ada", JSON);
        json.sendText("{not json");
        json.sendText("{\"t\":\"warp\"}");
        json.sendText("{\"t\":\"destroy\",\"id\":1.5}");
        json.sendText("{\"t\":\"destroy\",\"id\":-1}");
        json.sendText("{\"t\":\"destroy\"}");
        json.sendBinary(ByteBuffer.wrap(new byte[] {0x13, 1, 0, 0, 0})); // binary on a JSON connection
        json.send(new ClientMessage.Ping(1)).awaitType("pong");
        assertThat(json.receivedOfType("error")).hasSize(6).allMatch(e -> "bad_message".equals(e.get("code")));

        RelayTestClient bin = RelayTestClient.join(port(), "malformed", "bob", BIN);
        bin.sendBinary(ByteBuffer.wrap(new byte[] {0x7f}));
        bin.sendBinary(ByteBuffer.wrap(new byte[] {0x13, 0, 0, 0, 0, 0}));
        bin.sendText("{\"t\":\"ping\",\"c\":1}"); // text on a binary connection
        bin.send(new ClientMessage.Ping(1)).awaitType("pong");
        assertThat(bin.receivedOfType("error")).hasSize(3).allMatch(e -> "bad_message".equals(e.get("code")));
        assertThat(bin.receivedOfType("error").get(0).get("msg").toString()).contains("0x7f");
    }

    @Test
    void spectatorsReceiveEverythingButMayOnlyPing() {
        RelayTestClient ada = RelayTestClient.join(port(), "stadium", "ada", BIN);
        String spectatorToken = TestTokens.hs256(TestTokens.claims("fan", Map.of("roles", List.of("spectator"))));
        RelayTestClient fan = RelayTestClient.connect(port(), "stadium", spectatorToken, JSON);
        Map<String, Object> welcome = fan.awaitType("welcome");
        assertThat(number(welcome, "you")).isPositive();
        long id = ada.spawn(1, 0, 0, 0, 0);
        ada.send(new ClientMessage.Move(id, 1, 1, 1, 1));
        fan.awaitType("velocity");
        fan.send(new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
        fan.awaitError("read_only");
        fan.send(new ClientMessage.Ping(5)).awaitType("pong");
        assertThat(ada.receivedOfType("joined")).isEmpty();
        assertThat(RelayTestClient.get(port(), "/api/universes").body()).contains("{\"name\":\"stadium\",\"players\":1,\"entities\":1}");
    }

    @Test
    void theRateLimitCountsMessagesNotFrames() {
        RelayTestClient ada = RelayTestClient.join(port(), "flood", "ada", BIN);
        ClientMessage[] pings = new ClientMessage[70];
        for (int i = 0; i < pings.length; i++) {
            pings[i] = new ClientMessage.Ping(i);
        }
        ada.send(pings); // one frame, 70 messages, burst 60
        ada.awaitError("rate_limited");
        assertThat(ada.receivedOfType("pong").size()).isBetween(60, 62);
        assertThat(ada.receivedOfType("error")).allMatch(e -> "rate_limited".equals(e.get("code")));
        assertThat(ada.isClosed()).isFalse();
    }

    @Test
    void persistentAbuseClosesWith1008() {
        RelayTestClient ada = RelayTestClient.join(port(), "abuse", "ada", BIN);
        for (int i = 0; i < 101 && !ada.isClosed(); i++) {
            ada.sendBinary(ByteBuffer.wrap(new byte[] {0x7f}));
        }
        assertThat(ada.awaitClose()).isEqualTo(1008);
        assertThat(ada.receivedOfType("error")).hasSizeGreaterThanOrEqualTo(99);
    }

    @Test
    void framesOverTheLimitCloseWith1009() {
        RelayTestClient ada = RelayTestClient.join(port(), "big", "ada", JSON);
        ada.sendText("{\"t\":\"ping\",\"c\":1,\"pad\":\"" + "x".repeat(1100) + "\"}");
        assertThat(ada.awaitClose()).isEqualTo(1009);
    }

    @Test
    void textFramesWithInvalidUtf8CloseWith1007() throws Exception {
        RelayTestClient ada = RelayTestClient.join(port(), "utf8", "ada", JSON);
        RawWebSocket raw = RawWebSocket.open(port(), "utf8", TestTokens.hs256(TestTokens.claims("raw", Map.of())));
        raw.sendFrame(0x1, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertThat(raw.readCloseCode()).isEqualTo(1007);
        assertThat(ada.isClosed()).isFalse();
    }
}
