package dev.universerelay.limits;

import dev.universerelay.metrics.RelayMetrics;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every refusal and abuse-close is reported: each is counted by reason, and logged at most
 * once per client address per minute, so that an attacker who is refused a million times costs a
 * million counter increments and a handful of log lines, never the disk. Lines not written are
 * counted too ({@code relay_refusal_log_suppressed_total}) and their number is given in the next
 * line written for that address.
 */
@Singleton
public final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
    /** Addresses remembered for the log's rate limit; past it the memory is dropped whole (a flood of addresses then logs at most this many lines a minute). */
    static final int MAX_TRACKED_ADDRESSES = 10_000;
    static final long LOG_INTERVAL_MILLIS = 60_000;

    private final RelayMetrics metrics;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, LogWindow> windows = new ConcurrentHashMap<>();

    /** When an address was last logged, and how many of its lines were left out since (changed only inside {@code compute}). */
    private static final class LogWindow {
        final long startedMillis;
        long suppressed;

        LogWindow(long startedMillis) {
            this.startedMillis = startedMillis;
        }
    }

    @jakarta.inject.Inject
    public Refusals(RelayMetrics metrics) {
        this(metrics, System::currentTimeMillis);
    }

    Refusals(RelayMetrics metrics, LongSupplier clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Counts one refusal and logs it unless this address was logged less than a minute ago.
     *
     * @param address the client address (after trusted proxies), or null when unknown
     * @param detail  what was refused, for the log line; never a token or a request echo
     */
    public void refuse(RefusalReason reason, String address, String detail) {
        metrics.refused(reason.label());
        String key = address == null ? "unknown" : address;
        long now = clock.getAsLong();
        if (windows.size() >= MAX_TRACKED_ADDRESSES && !windows.containsKey(key)) {
            windows.clear();
        }
        long[] leftOut = {-1}; // stays -1 when this refusal is not logged
        windows.compute(key, (k, window) -> {
            if (window != null && now - window.startedMillis < LOG_INTERVAL_MILLIS) {
                window.suppressed++;
                return window;
            }
            leftOut[0] = window == null ? 0 : window.suppressed;
            return new LogWindow(now);
        });
        if (leftOut[0] < 0) {
            metrics.refusalLogSuppressed();
        } else if (leftOut[0] > 0) {
            LOG.info("refused reason={} address={} {} ({} more refusals of this address in the last minute not logged)",
                    reason.label(), key, detail, leftOut[0]);
        } else {
            LOG.info("refused reason={} address={} {}", reason.label(), key, detail);
        }
    }

    /** Addresses whose last log line is remembered (for tests). */
    int trackedAddresses() {
        return windows.size();
    }
}
