package dev.universerelay.transport;

import static dev.universerelay.support.RelayTestClient.BIN;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.universerelay.logging.TokenRedactingConverter;
import dev.universerelay.support.Relay;
import dev.universerelay.support.RelayTestClient;
import dev.universerelay.support.TestTokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Operators get a line per connect and disconnect with universe and player at DEBUG (a churn of
 * connections must not fill the disk at INFO), refusals through the rate-limited refusal log, and
 * never a token.
 */
@MicronautTest
class LogHygieneTest {
    @Inject
    Relay relay;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private Level previous;

    @BeforeEach
    void capture() {
        previous = root.getLevel();
        root.setLevel(Level.DEBUG);
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
        root.setLevel(previous);
    }

    @Test
    void connectionsAreLoggedWithUniverseAndPlayerButTokensNever() {
        String token = TestTokens.token("logged", Map.of("universes", List.of("logs")));
        RelayTestClient ada = relay.connect("logs", token, BIN);
        ada.awaitType("welcome");
        ada.close(1000);
        ada.awaitClose();
        RelayTestClient refused = relay.connect("elsewhere", token, BIN);
        refused.awaitClose();
        try {
            relay.connectWithQuery("logs", "access_token=" + token + "x", BIN, Map.of());
        } catch (RelayTestClient.HandshakeRefused expected) {
            // 401, logged or not, without the token
        }
        org.awaitility.Awaitility.await().until(() -> appender.list.stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith("disconnected universe=logs")));
        TokenRedactingConverter msg = new TokenRedactingConverter(); // what %msg prints, see logback.xml
        List<String> lines = appender.list.stream().map(msg::convert).toList();
        assertThat(lines).anyMatch(l -> l.startsWith("connected universe=logs player="));
        assertThat(lines).anyMatch(l -> l.startsWith("refused reason=not-allowed address=127.0.0.1 universe=elsewhere close=4003"));
        assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().startsWith("connected universe=")
                        || e.getFormattedMessage().startsWith("disconnected universe="))
                .as("connect and disconnect lines are DEBUG").isNotEmpty().allMatch(e -> e.getLevel() == Level.DEBUG);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertThat(appender.list).as("libraries do log tokens at debug level; the converter must catch them")
                .anyMatch(e -> e.getFormattedMessage().contains(signature));
        assertThat(lines).noneMatch(l -> l.contains(signature) || l.contains(token));
    }

    @Test
    void theLogPatternsPrintMessagesThroughTheRedactingConverter() throws Exception {
        for (String config : new String[] {"/logback.xml", "/logback-test.xml"}) {
            try (var in = getClass().getResourceAsStream(config)) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).as(config)
                        .contains("conversionWord=\"msg\" class=\"" + TokenRedactingConverter.class.getName() + "\"");
            }
        }
    }
}
