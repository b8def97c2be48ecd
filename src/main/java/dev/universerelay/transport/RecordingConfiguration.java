package dev.universerelay.transport;

import dev.universerelay.protocol.UniverseNamePatterns;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;

/**
 * {@code relay.recordings.*}: recording universes to disk and playing recordings back
 * (docs/recordings.md). Off by default: recording costs disk and a little CPU per event, and
 * replays cost connections, so an operator turns them on knowingly.
 *
 * @param enabled           recordings, replays and delayed spectators at all; default false
 * @param directory         where recording files go; default {@code recordings} under the working directory
 * @param universes         names, {@code prefix*} or {@code *} recorded from their first join; none by default (the admin API starts others)
 * @param maxQueue          records a recording may have waiting for the disk; beyond it the recording stops (metric, log line); default 65536
 * @param keyframeInterval  time between keyframes (a seek reads from the one before its target); default 10s
 * @param retentionAge      recordings older than this are deleted; default 7d
 * @param retentionBytes    recordings beyond this total size are deleted, oldest first; default 10 GiB
 * @param maxReplays        replays watched at once on this node; beyond it 503 before the upgrade; default 50
 * @param maxSpectatorDelay longest delay a spectator may ask for; default 60s
 */
@ConfigurationProperties("relay.recordings")
public record RecordingConfiguration(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "recordings") String directory,
        @Nullable List<String> universes,
        @Bindable(defaultValue = "65536") @Min(16) int maxQueue,
        @Bindable(defaultValue = "10s") Duration keyframeInterval,
        @Bindable(defaultValue = "7d") Duration retentionAge,
        @Bindable(defaultValue = "10737418240") @Min(0) long retentionBytes,
        @Bindable(defaultValue = "50") @Min(0) int maxReplays,
        @Bindable(defaultValue = "60s") Duration maxSpectatorDelay) {

    /** Whether a universe of this name is recorded from its first join. */
    boolean records(String universe) {
        return enabled && universes != null && UniverseNamePatterns.anyMatches(universes, universe);
    }
}
