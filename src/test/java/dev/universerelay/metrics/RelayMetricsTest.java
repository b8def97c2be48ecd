package dev.universerelay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.MessageSamples;
import dev.universerelay.protocol.ServerMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Message counters come from the message kinds: every kind is counted, under the name the wire uses. */
class RelayMetricsTest {

    @Test
    void everyMessageKindIsCountedUnderItsWireName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RelayMetrics metrics = new RelayMetrics(registry);
        List<ClientMessage> client = MessageSamples.CLIENT;
        List<ServerMessage> server = MessageSamples.SERVER;

        client.forEach(metrics::received);
        server.forEach(m -> metrics.sent(m, 3));

        for (ClientMessage.Kind kind : ClientMessage.Kind.values()) {
            assertThat(registry.get("relay.messages.received").tag("type", kind.wireName()).functionCounter().count())
                    .as("%s", kind).isEqualTo(1.0);
        }
        for (ServerMessage.Kind kind : ServerMessage.Kind.values()) {
            assertThat(registry.get("relay.messages.sent").tag("type", kind.wireName()).counter().count())
                    .as("%s", kind).isEqualTo(3.0);
        }
    }
}
