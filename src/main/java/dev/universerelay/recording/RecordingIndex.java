package dev.universerelay.recording;

import java.util.List;

/**
 * What one scan of a recording file found: its summary for the API, and where its keyframes are,
 * so that a seek reads from the nearest keyframe instead of the start.
 *
 * @param universe   the recorded universe
 * @param start      server time of the first record (epoch ms)
 * @param end        server time of the last intact record
 * @param sizeBytes  the file's size when scanned
 * @param players    names of everyone who played in it, in order of appearance
 * @param complete   whether it ends with an end record (false: still recording, or cut short by a crash)
 * @param damage     why reading stopped early ("" for none): a truncated or corrupt record
 * @param keyframes  every keyframe, in time order
 */
public record RecordingIndex(String id, String universe, String node, long start, long end, long sizeBytes,
                             List<String> players, boolean complete, String damage, List<KeyframeAt> keyframes) {

    /** A keyframe's server time and the offset of its record. */
    public record KeyframeAt(long time, long offset) {
    }

    public long durationMillis() {
        return end - start;
    }

    /** The last keyframe at or before {@code time} (the first one when {@code time} is before all). */
    public KeyframeAt keyframeFor(long time) {
        KeyframeAt best = keyframes.get(0);
        for (KeyframeAt k : keyframes) {
            if (k.time() <= time) {
                best = k;
            } else {
                break;
            }
        }
        return best;
    }
}
