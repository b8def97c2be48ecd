package dev.universerelay.abuse;

import dev.universerelay.limits.RefusalReason;
import dev.universerelay.support.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/** Small helpers the attack tests share. */
final class AttackSupport {
    private AttackSupport() {
    }

    /** A token for {@code subject}, signed with the test secret. */
    static String token(String subject) {
        return TestTokens.hs256(TestTokens.claims(subject, Map.of()));
    }

    /** {@code relay_refusals_total{reason}} so far. */
    static double refusals(MeterRegistry meters, RefusalReason reason) {
        Counter counter = meters.find("relay.refusals").tag("reason", reason.label()).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Heap in use after asking for a collection (a rough yardstick, compared with generous bounds). */
    static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
