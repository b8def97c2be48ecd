package dev.universerelay.api;

import dev.universerelay.recording.Recorder;
import dev.universerelay.recording.RecordingLeases;
import dev.universerelay.recording.Recordings;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.transport.RecordingConfiguration;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops recording a universe this node holds, whatever {@code relay.recordings.universes}
 * says (docs/operations.md). Only tokens with the {@code admin} role get in.
 */
@Controller("/api/admin/recordings")
@Secured(TokenClaims.ADMIN_ROLE)
public class RecordingAdminController {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingAdminController.class);
    private final Recordings recordings;
    private final UniverseRegistry registry;
    private final RecordingConfiguration config;

    private final RecordingLeases leases;

    RecordingAdminController(Recordings recordings, UniverseRegistry registry, RecordingConfiguration config,
                             RecordingLeases leases) {
        this.leases = leases;
        this.recordings = recordings;
        this.registry = registry;
        this.config = config;
    }

    /** With other nodes, only the node that holds (or takes) the universe's recording lease records it: 409 elsewhere. */
    @Post("/{universe}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> start(String universe, Authentication admin) {
        if (!config.enabled()) {
            return HttpResponse.notFound(new ApiError("recordings are switched off on this node"));
        }
        Optional<Universe> live = registry.find(universe).filter(u -> !u.isClosed());
        if (live.isEmpty()) {
            return HttpResponse.notFound(new ApiError("no universe " + universe + " on this node"));
        }
        if (!recordings.isRecording(universe) && !leases.hold(universe)) {
            return HttpResponse.status(HttpStatus.CONFLICT).body(new ApiError("another node records universe " + universe));
        }
        Optional<Recorder> started = recordings.start(universe, live.get()::attach);
        if (started.isEmpty()) {
            return HttpResponse.status(HttpStatus.CONFLICT).body(new ApiError("universe " + universe + " is being recorded already"));
        }
        LOG.info("universe={} recording={} started by admin={}", universe, started.get().id(), admin.getName());
        return HttpResponse.created(new Started(started.get().id()));
    }

    @Delete("/{universe}")
    HttpResponse<?> stop(String universe, Authentication admin) {
        Optional<Recorder> stopped = recordings.stop(universe, "stopped by an operator",
                tap -> registry.find(universe).ifPresent(u -> u.detach(tap)));
        if (stopped.isEmpty()) {
            return HttpResponse.notFound(new ApiError("universe " + universe + " is not being recorded"));
        }
        LOG.info("universe={} recording={} stopped by admin={}", universe, stopped.get().id(), admin.getName());
        return HttpResponse.noContent();
    }

    /** The new recording's id, for {@code GET /api/recordings/{id}} and {@code /ws/replays/{id}}. */
    @Serdeable
    public record Started(String id) {
    }
}
