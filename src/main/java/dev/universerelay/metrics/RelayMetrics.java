package dev.universerelay.metrics;

import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.ErrorCode;
import dev.universerelay.protocol.ServerMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The relay's Prometheus metrics. Counters are created up front and kept in fields, so that the
 * hot path pays an increment, not a registry look-up.
 */
@Singleton
public class RelayMetrics {
    private final MeterRegistry registry;
    /**
     * By {@link ClientMessage.Kind}: every kind gets its counter, tagged with its wire name.
     *
     * <p>The counters bumped once per message or per socket write (up to hundreds of thousands a second)
     * are plain {@link LongAdder}s that Micrometer reads when scraped ({@code FunctionCounter}): a
     * {@code Counter} of the composite registry costs a walk over its registries per increment, about 1 %
     * of the event loops' CPU at 435,000 events/s (docs/performance.md).
     */
    private final Map<ClientMessage.Kind, LongAdder> received = new EnumMap<>(ClientMessage.Kind.class);
    /** By {@link ServerMessage.Kind}, likewise. */
    private final Map<ServerMessage.Kind, Counter> sent = new EnumMap<>(ServerMessage.Kind.class);
    private final Map<ErrorCode, Counter> rejections = new EnumMap<>(ErrorCode.class);
    private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Counter refusalLogSuppressed;
    private final Counter coalesced;
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Timer apply;
    private final Timer interestSweep;
    private final Counter appearedByTick;
    private final Counter appearedByView;
    private final Counter hiddenByTick;
    private final Counter hiddenByView;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ClientMessage.Kind kind : ClientMessage.Kind.values()) {
            LongAdder count = new LongAdder();
            received.put(kind, count);
            FunctionCounter.builder("relay.messages.received", count, LongAdder::doubleValue).tag("type", kind.wireName())
                    .description("Client messages decoded, by type").register(registry);
        }
        for (ServerMessage.Kind kind : ServerMessage.Kind.values()) {
            sent.put(kind, Counter.builder("relay.messages.sent").tag("type", kind.wireName())
                    .description("Server messages queued for delivery, counted once per recipient").register(registry));
        }
        refusalLogSuppressed = Counter.builder("relay.refusal.log.suppressed")
                .description("Refusal log lines left out because the same address was logged less than a minute before")
                .register(registry);
        coalesced = Counter.builder("relay.events.coalesced")
                .description("Velocity events replaced by a newer state of the same entity for a slow reader")
                .register(registry);
        FunctionCounter.builder("relay.bytes.received", bytesIn, LongAdder::doubleValue).baseUnit("bytes")
                .description("WebSocket payload bytes received from clients").register(registry);
        FunctionCounter.builder("relay.bytes.sent", bytesOut, LongAdder::doubleValue).baseUnit("bytes")
                .description("WebSocket payload bytes written to clients").register(registry);
        apply = Timer.builder("relay.fanout")
                .description("Time to validate and apply one client action and queue its events for every recipient")
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(500))
                .maximumExpectedValue(java.time.Duration.ofMillis(50))
                .register(registry);
        interestSweep = Timer.builder("relay.interest.sweep")
                .description("Time of one interest management tick: every universe with interest management swept, its appeared and hidden events queued")
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(1000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(1))
                .register(registry);
        appearedByTick = interestCounter("relay.interest.appeared", "tick",
                "Entities shown to a player because they (or the player's ship) moved into its view, counted per player");
        appearedByView = interestCounter("relay.interest.appeared", "view",
                "Entities shown to a player because the player sent a new view, counted per player");
        hiddenByTick = interestCounter("relay.interest.hidden", "tick",
                "Entities hidden from a player because they (or the player's ship) left its view, counted per player");
        hiddenByView = interestCounter("relay.interest.hidden", "view",
                "Entities hidden from a player because the player sent a new view, counted per player");
        for (ErrorCode code : ErrorCode.values()) {
            rejections.put(code, Counter.builder("relay.rejections").tag("code", code.wireName())
                    .description("Client messages refused, by error code").register(registry));
        }
    }

    private Counter interestCounter(String name, String trigger, String description) {
        return Counter.builder(name).tag("trigger", trigger).description(description).register(registry);
    }

    /** Registers a gauge that reads its value when scraped. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    public void received(ClientMessage message) {
        received.get(message.messageKind()).increment();
    }

    public void sent(ServerMessage message, int recipients) {
        sent.get(message.messageKind()).increment(recipients);
    }

    public void bytesReceived(int bytes) {
        bytesIn.add(bytes);
    }

    public void bytesSent(int bytes) {
        bytesOut.add(bytes);
    }

    /** Records how long one action took from validation to its events being queued for every recipient. */
    public void applied(long nanos) {
        apply.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Records how long one interest management tick took over every universe of the node. */
    public void interestSwept(long nanos) {
        interestSweep.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Counts entities newly shown ({@code appeared}) and hidden by interest management, once per
     * player, by the tick ({@code byView} false) or by a player's new view.
     */
    public void interestChanged(boolean byView, int appeared, int hidden) {
        if (appeared > 0) {
            (byView ? appearedByView : appearedByTick).increment(appeared);
        }
        if (hidden > 0) {
            (byView ? hiddenByView : hiddenByTick).increment(hidden);
        }
    }

    public void coalesced() {
        coalesced.increment();
    }

    public void rejected(ErrorCode code) {
        rejections.get(code).increment();
    }

    /** Counts one refused client or abuse-close by its reason (dev.universerelay.limits.RefusalReason). */
    public void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("relay.refusals").tag("reason", r)
                .description("Clients refused or closed for abuse, by reason (docs/operations.md, Limits)")
                .register(registry)).increment();
    }

    public void refusalLogSuppressed() {
        refusalLogSuppressed.increment();
    }

    public void closed(int closeCode) {
        closes.computeIfAbsent(closeCode, code -> Counter.builder("relay.closes").tag("code", Integer.toString(code))
                .description("Connections closed, by close code (-1: dropped without a close frame)")
                .register(registry)).increment();
    }

}
