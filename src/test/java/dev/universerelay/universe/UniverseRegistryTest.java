package dev.universerelay.universe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.CloseCodes;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import dev.universerelay.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Universes are created on first join and forgotten as soon as they are empty. */
class UniverseRegistryTest {
    static final long GRACE = 10_000;

    final AtomicLong clock = new AtomicLong(1_000_000);
    final List<Universe> created = new ArrayList<>();
    final UniverseRegistry registry = new UniverseRegistry(name -> {
        Universe u = new Universe(name, new UniverseSettings(new LimitsInfo(30, 60, 8, 2000, 100_000), 2, GRACE),
                clock::get, Fanout.EACH, () -> "token");
        created.add(u);
        return u;
    });

    @Test
    void aUniverseIsCreatedOnFirstJoinAndSharedAfterwards() {
        assertThat(registry.size()).isZero();
        UniverseRegistry.Entry ada = join("alpha", "ada");
        UniverseRegistry.Entry bob = join("alpha", "bob");
        assertThat(bob.universe()).isSameAs(ada.universe());
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.find("alpha")).containsSame(ada.universe());
        assertThat(registry.find("beta")).isEmpty();
        assertThat(created).hasSize(1);
        assertThat(ada.universe().name()).isEqualTo("alpha");
    }

    @Test
    void anEmptyUniverseIsForgottenAndAFreshOneMadeOnTheNextJoin() {
        RecordingLink link = new RecordingLink("ada");
        UniverseRegistry.Entry ada = registry.join("alpha", UniverseTest.player("ada"), link);
        Player player = entered(ada).player();
        ada.universe().apply(player, link, new ClientMessage.Spawn(1, 1, 0f, 0f, 0f, 0f));

        registry.disconnect(ada.universe(), player, link, true);

        assertThat(registry.size()).isZero();
        assertThat(registry.find("alpha")).isEmpty();
        assertThat(registry.summaries()).isEmpty();

        RecordingLink again = new RecordingLink("ada-again");
        UniverseRegistry.Entry fresh = registry.join("alpha", UniverseTest.player("ada"), again);
        assertThat(fresh.universe()).isNotSameAs(ada.universe());
        assertThat(entered(fresh).resumed()).isFalse();
        assertThat(again.welcome().entities()).isEmpty();
        assertThat(again.welcome().you()).isEqualTo(1);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void aUniverseWhoseLastGracePeriodEndsIsForgotten() {
        UniverseRegistry.Entry ada = join("alpha", "ada");
        UniverseRegistry.Entry eve = join("beta", "eve");
        registry.disconnect(ada.universe(), entered(ada).player(), lastLinkOf(ada), false);
        assertThat(registry.size()).isEqualTo(2);

        clock.addAndGet(GRACE - 1);
        registry.expireGrace();
        assertThat(registry.size()).isEqualTo(2);

        clock.addAndGet(1);
        registry.expireGrace();
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.find("beta")).containsSame(eve.universe());
    }

    @Test
    void aUniverseThatClosedBehindTheRegistrysBackIsReplacedOnJoin() {
        RecordingLink link = new RecordingLink("ada");
        UniverseRegistry.Entry ada = registry.join("alpha", UniverseTest.player("ada"), link);
        // Closed directly, so the registry still holds it, as after a race between join and leave.
        assertThat(ada.universe().disconnect(entered(ada).player(), link, true)).isTrue();
        assertThat(registry.size()).isEqualTo(1);

        UniverseRegistry.Entry bob = join("alpha", "bob");

        assertThat(bob.universe()).isNotSameAs(ada.universe());
        assertThat(bob.universe().isClosed()).isFalse();
        assertThat(registry.find("alpha")).containsSame(bob.universe());
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.summaries()).extracting(UniverseSummary::players).containsExactly(1);
    }

    @Test
    void eventsNeverCrossUniverses() {
        RecordingLink adaLink = new RecordingLink("ada");
        UniverseRegistry.Entry ada = registry.join("alpha", UniverseTest.player("ada"), adaLink);
        RecordingLink eveLink = new RecordingLink("eve");
        registry.join("beta", UniverseTest.player("eve"), eveLink);
        RecordingLink bobLink = new RecordingLink("bob");
        registry.join("alpha", UniverseTest.player("bob"), bobLink);

        ada.universe().apply(entered(ada).player(), adaLink, new ClientMessage.Spawn(1, 1, 0f, 0f, 0f, 0f));
        registry.disconnect(ada.universe(), entered(ada).player(), adaLink, true);

        assertThat(bobLink.messages).extracting(ServerMessage::type)
                .containsExactly("welcome", "appeared", "destroyed", "left");
        assertThat(eveLink.messages).extracting(ServerMessage::type).containsExactly("welcome");
    }

    @Test
    void fullIsReportedAndDoesNotCreateAnything() {
        join("alpha", "ada");
        join("alpha", "bob");
        UniverseRegistry.Entry carol = registry.join("alpha", UniverseTest.player("carol"), new RecordingLink("carol"));
        assertThat(carol.result()).isInstanceOf(JoinResult.Full.class);
        assertThat(created).hasSize(1);
        assertThat(registry.summaries()).extracting(UniverseSummary::players).containsExactly(2);
    }

    @Test
    void closeEndsEveryConnectionAndForgetsTheUniverse() {
        RecordingLink adaLink = new RecordingLink("ada");
        registry.join("alpha", UniverseTest.player("ada"), adaLink);
        join("beta", "eve");

        assertThat(registry.close("alpha", CloseCodes.GOING_AWAY, "admin")).isTrue();
        assertThat(registry.close("alpha", CloseCodes.GOING_AWAY, "admin")).isFalse();
        assertThat(registry.close("nowhere", CloseCodes.GOING_AWAY, "admin")).isFalse();

        assertThat(adaLink.closeCodes).containsExactly(CloseCodes.GOING_AWAY);
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.all()).extracting(Universe::name).containsExactly("beta");
    }

    @Test
    void summariesAreSortedByNameAndCountPlayersSpectatorsAndEntities() {
        RecordingLink adaLink = new RecordingLink("ada");
        UniverseRegistry.Entry ada = registry.join("zeta", UniverseTest.player("ada"), adaLink);
        ada.universe().apply(entered(ada).player(), adaLink, new ClientMessage.Spawn(1, 1, 0f, 0f, 0f, 0f));
        join("alpha", "eve");
        registry.join("alpha", UniverseTest.spectatorIdentity("sam"), new RecordingLink("sam"));
        join("mid", "bob");
        join("mid", "carol");

        assertThat(registry.summaries()).containsExactly(
                new UniverseSummary("alpha", 1, 1, 0, 1_000_000),
                new UniverseSummary("mid", 2, 0, 0, 1_000_000),
                new UniverseSummary("zeta", 1, 0, 1, 1_000_000));
    }

    /**
     * Protocol section 11: "A universe with no players left (grace included) disappears from
     * GET /api/universes within 10 s", and spectators are not players. Today a universe watched
     * only by spectators stays listed with 0 players for as long as they watch.
     */
    @Test
    void aUniverseWithOnlySpectatorsIsNotListed() {
        RecordingLink adaLink = new RecordingLink("ada");
        UniverseRegistry.Entry ada = registry.join("alpha", UniverseTest.player("ada"), adaLink);
        registry.join("alpha", UniverseTest.spectatorIdentity("sam"), new RecordingLink("sam"));
        registry.join("beta", UniverseTest.spectatorIdentity("sue"), new RecordingLink("sue"));
        registry.disconnect(ada.universe(), entered(ada).player(), adaLink, true);

        assertThat(registry.summaries()).isEmpty();
    }

    private UniverseRegistry.Entry join(String universe, String subject) {
        RecordingLink link = new RecordingLink(subject);
        UniverseRegistry.Entry entry = registry.join(universe, UniverseTest.player(subject), link);
        links.add(link);
        entered(entry);
        return entry;
    }

    private final List<RecordingLink> links = new ArrayList<>();

    private RecordingLink lastLinkOf(UniverseRegistry.Entry entry) {
        Player player = entered(entry).player();
        for (int i = links.size() - 1; i >= 0; i--) {
            if (links.get(i).label.equals(player.identity().subject())) {
                return links.get(i);
            }
        }
        throw new AssertionError("no link for " + player);
    }

    private static JoinResult.Entered entered(UniverseRegistry.Entry entry) {
        assertThat(entry.result()).isInstanceOf(JoinResult.Entered.class);
        return (JoinResult.Entered) entry.result();
    }
}
