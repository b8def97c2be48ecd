package dev.universerelay.api;

import dev.universerelay.recording.RecordingIndex;
import dev.universerelay.recording.RecordingStore;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.transport.RecordingConfiguration;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.server.types.files.SystemFile;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Optional;

/**
 * Lists, describes and hands out recordings (docs/recordings.md). Any valid token may ask, and
 * sees only recordings of universes its {@code universes} claim allows: a recording shows
 * everything that happened in its universe, so it is guarded like the universe itself. Unknown
 * ids and ids of universes the token does not allow are the same {@code 404}, so that the API does
 * not tell which recordings exist.
 */
@Controller("/api/recordings")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class RecordingController {
    private final RecordingStore store;
    private final RecordingConfiguration config;

    RecordingController(RecordingStore store, RecordingConfiguration config) {
        this.store = store;
        this.config = config;
    }

    @Get
    HttpResponse<?> list(Authentication caller) {
        if (!config.enabled()) {
            return HttpResponse.notFound(new ApiError("recordings are switched off on this node"));
        }
        TokenClaims claims = TokenClaims.of(caller);
        return HttpResponse.ok(store.list().stream().filter(r -> claims.allows(r.universe())).map(RecordingView::of).toList());
    }

    @Get("/{id}")
    HttpResponse<?> show(String id, Authentication caller) {
        return find(id, caller).<HttpResponse<?>>map(r -> HttpResponse.ok(RecordingView.of(r)))
                .orElseGet(() -> HttpResponse.notFound(new ApiError("no recording " + id)));
    }

    /** The recording file as it is on disk (docs/recordings.md, "File format"). */
    @Get("/{id}/file")
    HttpResponse<?> download(String id, Authentication caller) {
        return find(id, caller).<HttpResponse<?>>map(r -> HttpResponse.ok(
                        new SystemFile(store.pathOf(r.id()).toFile(), MediaType.APPLICATION_OCTET_STREAM_TYPE).attach(r.id() + ".urrec")))
                .orElseGet(() -> HttpResponse.notFound(new ApiError("no recording " + id)));
    }

    private Optional<RecordingIndex> find(String id, Authentication caller) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        return store.find(id).filter(r -> TokenClaims.of(caller).allows(r.universe()));
    }

    /**
     * One recording as the API shows it; times are epoch milliseconds of server time.
     *
     * @param complete false while it is being recorded, or when the node stopped without ending it (a crash)
     * @param damage   why the file reads short; absent when it reads whole
     */
    @Serdeable
    public record RecordingView(String id, String universe, long start, long end, long duration, long size,
                                List<String> players, boolean complete, @io.micronaut.core.annotation.Nullable String damage) {
        static RecordingView of(RecordingIndex r) {
            return new RecordingView(r.id(), r.universe(), r.start(), r.end(), r.durationMillis(), r.sizeBytes(),
                    r.players(), r.complete(), r.damage().isEmpty() ? null : r.damage());
        }
    }
}
