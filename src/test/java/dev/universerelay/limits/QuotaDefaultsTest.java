package dev.universerelay.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

/**
 * The quotas' defaults, read without the test environment (whose application-test.yml raises them
 * out of the way of tests that connect many clients from 127.0.0.1), and the per-address share.
 */
class QuotaDefaultsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).start()) {
            QuotaConfiguration q = context.getBean(QuotaConfiguration.class);
            assertThat(q.handshakeRate()).isEqualTo(20);
            assertThat(q.handshakeBurst()).isEqualTo(60);
            assertThat(q.identityHandshakeRate()).isEqualTo(5);
            assertThat(q.identityHandshakeBurst()).isEqualTo(20);
            assertThat(q.universesPerMinute()).isEqualTo(20);
            assertThat(q.universesHeld()).isEqualTo(50);
            assertThat(q.addressPlayerShare()).isEqualTo(0.25);
            assertThat(q.minPlayersPerAddress()).isEqualTo(4);
            assertThat(q.takeoverRate()).isEqualTo(1);
            assertThat(q.takeoverBurst()).isEqualTo(5);
            assertThat(q.loginRate()).isEqualTo(5);
            assertThat(q.loginBurst()).isEqualTo(20);
            assertThat(q.trackedKeys()).isEqualTo(100_000);
            assertThat(q.maxPlayersPerAddress(100)).as("a quarter of the default 100 players").isEqualTo(25);
        }
    }

    @Test
    void theShareIsAQuarterWithAFloorAndNoneForUnlimitedUniversesOrAShareOfOne() {
        QuotaConfiguration quarter = new QuotaConfiguration(20, 60, 5, 20, 20, 50, 0.25, 4, 1, 5, 5, 20, 100_000);
        assertThat(quarter.maxPlayersPerAddress(100)).isEqualTo(25);
        assertThat(quarter.maxPlayersPerAddress(10)).isEqualTo(4);
        assertThat(quarter.maxPlayersPerAddress(2)).isEqualTo(2);
        assertThat(quarter.maxPlayersPerAddress(0)).isZero();
        QuotaConfiguration whole = new QuotaConfiguration(20, 60, 5, 20, 20, 50, 1, 4, 1, 5, 5, 20, 100_000);
        assertThat(whole.maxPlayersPerAddress(100)).isZero();
    }
}
