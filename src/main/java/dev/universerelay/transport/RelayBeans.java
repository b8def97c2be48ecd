package dev.universerelay.transport;

import dev.universerelay.limits.LimitsConfiguration;
import dev.universerelay.limits.QuotaConfiguration;
import dev.universerelay.metrics.RelayMetrics;
import dev.universerelay.protocol.ServerMessage.LimitsInfo;
import dev.universerelay.protocol.WireFormat;
import dev.universerelay.recording.RecordingLeases;
import dev.universerelay.recording.Recordings;
import dev.universerelay.universe.Cluster;
import dev.universerelay.universe.InterestObserver;
import dev.universerelay.universe.InterestSettings;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import dev.universerelay.universe.UniverseSettings;
import dev.universerelay.universe.UniverseSummary;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Base64;

/** Wires the framework-free universe domain to this node's configuration and transport. */
@Factory
final class RelayBeans {

    @Singleton
    UniverseRegistry universeRegistry(LimitsConfiguration limits, SessionConfiguration session, InterestConfiguration interest,
                                      QuotaConfiguration quotas, RelayMetrics metrics, ConnectionIndex connections,
                                      Cluster cluster, WireFanout fanout, Recordings recordings,
                                      RecordingConfiguration recording, RecordingLeases leases) {
        int perAddress = quotas.maxPlayersPerAddress(limits.maxPlayersPerUniverse());
        LimitsInfo announced = new LimitsInfo(limits.rate(), limits.burst(), limits.maxEntities(), limits.maxSpeed(), limits.bounds());
        UniverseSettings everyoneSeesAll = new UniverseSettings(announced, limits.maxPlayersPerUniverse(),
                session.resumeGrace().toMillis(), new InterestSettings(false, interest.cellSize(), interest.maxRadius()), perAddress);
        UniverseSettings withInterest = new UniverseSettings(announced, limits.maxPlayersPerUniverse(),
                session.resumeGrace().toMillis(), new InterestSettings(true, interest.cellSize(), interest.maxRadius()), perAddress);
        SecureRandom random = new SecureRandom();
        InterestObserver interestMetrics = (trigger, appeared, hidden) ->
                metrics.interestChanged(trigger == InterestObserver.Trigger.VIEW, appeared, hidden);
        UniverseRegistry registry = new UniverseRegistry(name -> recordIfConfigured(new Universe(name,
                interest.appliesTo(name) ? withInterest : everyoneSeesAll, System::currentTimeMillis, fanout,
                () -> resumeToken(random), interestMetrics, cluster), recordings, recording, leases), cluster);
        metrics.gauge("relay.universes", "Universes on this node", registry::size);
        metrics.gauge("relay.players", "Players on this node, those in their resume grace period included",
                () -> registry.summaries().stream().mapToInt(UniverseSummary::players).sum());
        metrics.gauge("relay.entities", "Entities on this node",
                () -> registry.summaries().stream().mapToInt(UniverseSummary::entities).sum());
        for (WireFormat wire : WireFormat.values()) {
            metrics.gauge("relay.connections", "Open relay connections by subprotocol", () -> connections.count(wire),
                    "subprotocol", wire.subprotocol());
        }
        return registry;
    }

    /**
     * On one node, universes named by {@code relay.recordings.universes} are recorded from their
     * creation (docs/recordings.md); with other nodes, {@link RecordingLeaseKeeper} picks the one
     * node that records each.
     */
    private static Universe recordIfConfigured(Universe universe, Recordings recordings, RecordingConfiguration config,
                                               RecordingLeases leases) {
        if (leases == RecordingLeases.SINGLE_NODE && config.records(universe.name())) {
            recordings.start(universe.name(), universe::attach);
        }
        return universe;
    }

    private static String resumeToken(SecureRandom random) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
