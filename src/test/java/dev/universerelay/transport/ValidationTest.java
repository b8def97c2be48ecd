package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.RawWebSocket;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
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
    Relay relay;

    @Test
    void eachRuleAnswersItsErrorCodeAndTheConnectionStaysOpen() {
        RelayTestClient ada = relay.join("rules", "ada", JSON);
        RelayTestClient bob = relay.join("rules", "bob", BIN);
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
        ada.fence();
        assertThat(ada.receivedOfType("error")).extracting(e -> e.get("code")).containsExactly(
                "bad_message", "out_of_bounds", "too_fast", "not_owner", "unknown_entity", "not_owner");

        // Nothing of it reached bob, and the universe is unchanged for a late joiner.
        bob.fence();
        assertThat(bob.receivedOfType("appeared")).hasSize(1);
        assertThat(bob.receivedOfType("velocity")).isEmpty();
        assertThat(bob.receivedOfType("destroyed")).isEmpty();
        RelayTestClient late = relay.join("rules", "late", JSON);
        List<Map<String, Object>> entities = late.welcomeEntities();
        assertThat(entities).extracting(e -> number(e, "id")).containsExactly(bobs);
        assertThat(ada.isClosed()).isFalse();
    }

    @Test
    void malformedFramesAreBadMessagesOnBothWires() {
        RelayTestClient json = relay.join("malformed", "ada", JSON);
        json.sendText("{not json");
        json.sendText("{\"t\":\"warp\"}");
        json.sendText("{\"t\":\"destroy\",\"id\":1.5}");
        json.sendText("{\"t\":\"destroy\",\"id\":-1}");
        json.sendText("{\"t\":\"destroy\"}");
        json.sendBinary(ByteBuffer.wrap(new byte[] {0x13, 1, 0, 0, 0})); // binary on a JSON connection
        json.fence();
        assertThat(json.receivedOfType("error")).hasSize(6).allMatch(e -> "bad_message".equals(e.get("code")));

        RelayTestClient bin = relay.join("malformed", "bob", BIN);
        bin.sendBinary(ByteBuffer.wrap(new byte[] {0x7f}));
        bin.sendBinary(ByteBuffer.wrap(new byte[] {0x13, 0, 0, 0, 0, 0}));
        bin.sendText("{\"t\":\"ping\",\"c\":1}"); // text on a binary connection
        bin.fence();
        assertThat(bin.receivedOfType("error")).hasSize(3).allMatch(e -> "bad_message".equals(e.get("code")));
        assertThat(bin.receivedOfType("error").get(0).get("msg").toString()).contains("0x7f");
    }

    @Test
    void spectatorsReceiveEverythingButMayOnlyPing() {
        RelayTestClient ada = relay.join("stadium", "ada", BIN);
        String spectatorToken = TestTokens.token("fan", Map.of("roles", List.of("spectator")));
        RelayTestClient fan = relay.connect("stadium", spectatorToken, JSON);
        Map<String, Object> welcome = fan.awaitType("welcome");
        assertThat(number(welcome, "you")).isPositive();
        long id = ada.spawn(1, 0, 0, 0, 0);
        ada.send(new ClientMessage.Move(id, 1, 1, 1, 1));
        fan.awaitType("velocity");
        fan.send(new ClientMessage.Spawn(1, 1, 0, 0, 0, 0));
        fan.awaitError("read_only");
        fan.fence();
        assertThat(ada.receivedOfType("joined")).isEmpty();
        assertThat(relay.get("/api/universes").body()).contains("{\"name\":\"stadium\",\"players\":1,\"entities\":1}");
    }

    @Test
    void theRateLimitCountsMessagesNotFrames() {
        RelayTestClient ada = relay.join("flood", "ada", BIN);
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
        RelayTestClient ada = relay.join("abuse", "ada", BIN);
        for (int i = 0; i < 101 && !ada.isClosed(); i++) {
            ada.sendBinary(ByteBuffer.wrap(new byte[] {0x7f}));
        }
        assertThat(ada.awaitClose()).isEqualTo(1008);
        assertThat(ada.receivedOfType("error")).hasSizeGreaterThanOrEqualTo(99);
    }

    @Test
    void framesOverTheLimitCloseWith1009() {
        RelayTestClient ada = relay.join("big", "ada", JSON);
        ada.sendText("{\"t\":\"ping\",\"c\":1,\"pad\":\"" + "x".repeat(1100) + "\"}");
        assertThat(ada.awaitClose()).isEqualTo(1009);
    }

    @Test
    void textFramesWithInvalidUtf8CloseWith1007() throws Exception {
        RelayTestClient ada = relay.join("utf8", "ada", JSON);
        RawWebSocket raw = RawWebSocket.open(relay.port(), "utf8", TestTokens.token("raw"));
        raw.sendFrame(0x1, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertThat(raw.readCloseCode()).isEqualTo(1007);
        assertThat(ada.isClosed()).isFalse();
    }
}
