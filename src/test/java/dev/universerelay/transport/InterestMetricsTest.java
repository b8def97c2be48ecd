package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static dev.universerelay.support.RelayTestClient.JSON;
import static dev.universerelay.support.RelayTestClient.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The interest management metrics (docs/operations.md): the sweep timer, and appeared / hidden
 * counted per player by what caused them, a new view or the tick.
 */
@MicronautTest
@Property(name = "relay.interest.universes", value = "open-*")
@Property(name = "relay.interest.tick", value = "50ms")
class InterestMetricsTest {
    @Inject
    Relay relay;

    @Inject
    MeterRegistry registry;

    private double count(String name, String trigger) {
        return registry.get(name).tag("trigger", trigger).counter().count();
    }

    @Test
    void viewChangesAndTicksAreCountedApartAndTheSweepIsTimed() {
        double appearedByView = count("relay.interest.appeared", "view");
        double appearedByTick = count("relay.interest.appeared", "tick");
        double hiddenByView = count("relay.interest.hidden", "view");
        double hiddenByTick = count("relay.interest.hidden", "tick");
        Timer sweep = registry.get("relay.interest.sweep").timer();
        long sweeps = sweep.count();

        RelayTestClient ada = relay.join("open-metrics", "ada", BIN);
        long adaShip = ada.spawn(1, 0, 0, 0, 0);
        RelayTestClient bob = relay.join("open-metrics", "bob", JSON);
        long bobShip = bob.spawn(2, 5000, 0, 0, 0);
        ada.awaitEvent("appeared", bobShip);

        // Each first view hides the other's ship: two hidden by view.
        ada.send(new ClientMessage.View(0, 0, 500));
        bob.send(new ClientMessage.View(5000, 0, 500));
        ada.awaitEvent("hidden", bobShip);
        bob.awaitEvent("hidden", adaShip);

        // ada flies to bob without turning her view: bob is shown her ship at the next tick.
        ada.send(new ClientMessage.Move(adaShip, 4800, 0, 0, 0));
        bob.awaitEvent("appeared", adaShip);
        // then her view follows her ship: she is shown bob's at once.
        ada.send(new ClientMessage.View(4800, 0, 500));
        ada.awaitMessage(m -> "appeared".equals(m.get("t")) && number(m, "id") == bobShip && number(m, "ref") == 0);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(count("relay.interest.hidden", "view") - hiddenByView).isEqualTo(2);
            assertThat(count("relay.interest.appeared", "tick") - appearedByTick).isEqualTo(1);
            assertThat(count("relay.interest.appeared", "view") - appearedByView).isEqualTo(1);
            assertThat(sweep.count()).isGreaterThan(sweeps);
        });
        assertThat(count("relay.interest.hidden", "tick") - hiddenByTick).isZero();
        assertThat(sweep.max(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();

        String scraped = relay.get("/prometheus").body();
        assertThat(scraped)
                .contains("relay_interest_sweep_seconds_bucket")
                .contains("relay_interest_sweep_seconds_count")
                .containsPattern("relay_interest_appeared_total\\{trigger=\"view\"} [1-9]")
                .containsPattern("relay_interest_appeared_total\\{trigger=\"tick\"} [1-9]")
                .containsPattern("relay_interest_hidden_total\\{trigger=\"view\"} [1-9]")
                .contains("relay_interest_hidden_total{trigger=\"tick\"}");
    }
}
