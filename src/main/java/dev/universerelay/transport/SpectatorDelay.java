package dev.universerelay.transport;

/**
 * The {@code delay} query parameter of a live universe's handshake (docs/recordings.md, *Delayed
 * spectators*): whole milliseconds, 1 to {@code relay.recordings.max-spectator-delay}. Read from
 * the raw query, so that Micronaut never decodes the query parameters (see {@link RelayWebSocket}).
 */
final class SpectatorDelay {
    static final String PARAMETER = "delay";

    private SpectatorDelay() {
    }

    /**
     * The delay asked for in {@code rawQuery}, 0 when none.
     *
     * @throws IllegalArgumentException with the reason, for a {@code 400}
     */
    static long parse(String rawQuery, long maxMillis) {
        if (rawQuery == null) {
            return 0;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(PARAMETER + "=")) {
                String value = pair.substring(PARAMETER.length() + 1);
                long millis;
                try {
                    millis = value.length() > 12 ? -1 : Long.parseLong(value);
                } catch (NumberFormatException e) {
                    millis = -1;
                }
                if (millis < 1 || millis > maxMillis) {
                    throw new IllegalArgumentException("delay is whole milliseconds from 1 to " + maxMillis);
                }
                return millis;
            }
        }
        return 0;
    }
}
