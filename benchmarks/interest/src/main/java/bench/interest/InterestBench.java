package bench.interest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The interest management benchmark's load generator: one universe, N pilots spread over a field
 * sized so that each view holds about K other ships, each sending its view around its own ship.
 * Prints one JSON line on stdout (progress on stderr). Loopback only; every phase is bounded and
 * a watchdog ends the process if anything hangs.
 */
public final class InterestBench {
    final Config cfg;
    final Field field;
    long sendStart = Long.MAX_VALUE;
    long measureStart = Long.MAX_VALUE;
    long measureEnd = Long.MAX_VALUE;
    long sendEnd = Long.MAX_VALUE;

    private final List<Loop> loops = new ArrayList<>();
    private final List<Pilot> pilots = new ArrayList<>();
    private final AtomicReferenceArray<Pilot> byEntity;
    private final ConcurrentLinkedQueue<Pilot> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Integer, Long> closes = new ConcurrentHashMap<>();
    private volatile boolean connectOver;
    private CountDownLatch done;
    private EventLoopGroup group;
    private Class<? extends SocketChannel> channelClass;
    private HttpClient http;

    InterestBench(Config cfg) {
        this.cfg = cfg;
        this.field = Field.forDensity(cfg.players, cfg.viewRadius, cfg.others);
        this.byEntity = new AtomicReferenceArray<>(cfg.players * 4 + 64);
    }

    public static void main(String[] args) throws Exception {
        Config cfg = Config.parse(args);
        if (cfg.rate * (cfg.warmup + cfg.duration + cfg.drain + 5) >= Pilot.SEQS) {
            Config.fail("rate x (warmup + duration + drain) must stay below " + Pilot.SEQS + " moves per pilot");
        }
        long budgetMs = (long) ((cfg.connectTimeout * 2 + cfg.warmup + cfg.duration + cfg.drain + 30) * 1000);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(budgetMs);
                System.err.println("interest-bench: watchdog: run exceeded " + budgetMs + " ms, exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // done
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(new InterestBench(cfg).run());
    }

    static void log(String s) {
        System.err.println("[interest-bench] " + s);
    }

    // ------------------------------------------------------------------ callbacks

    void register(int entityId, Pilot pilot) {
        if (entityId < byEntity.length()) byEntity.set(entityId, pilot);
    }

    Pilot sender(int entityId) {
        return entityId >= 0 && entityId < byEntity.length() ? byEntity.get(entityId) : null;
    }

    void pilotDone(Pilot p) {
        if (p.started) {
            inFlight.decrementAndGet();
            pump();
        }
        done.countDown();
    }

    void closeSeen(int code) {
        closes.merge(code, 1L, Long::sum);
    }

    // ------------------------------------------------------------------ phases

    private int run() throws Exception {
        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(cfg.threads) : new NioEventLoopGroup(cfg.threads);
        channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        for (EventExecutor e : group) loops.add(new Loop((EventLoop) e, this));
        // one stream per pilot split from one seeded stream (java.util.Random seeded with
        // consecutive numbers gives correlated first values: start points fell on a few lines)
        java.util.SplittableRandom seeded = new java.util.SplittableRandom(cfg.seed);
        for (int i = 0; i < cfg.players; i++) {
            Loop loop = loops.get(i % loops.size());
            Pilot p = new Pilot(loop, i, field, seeded.split());
            loop.pilots.add(p);
            pilots.add(p);
        }
        if (field.halfWidth > 99_000) Config.fail("the field would pass the relay's default bounds (100000)");
        done = new CountDownLatch(pilots.size());
        log(String.format(Locale.ROOT, "%d pilots in %s, field %.0f x %.0f, view radius %.0f (about %.1f others expected), %s",
                cfg.players, cfg.universe, 2 * field.halfWidth, 2 * field.halfHeight, cfg.viewRadius,
                Field.expectedOthers(cfg.players, cfg.viewRadius, 2 * field.halfWidth, 2 * field.halfHeight),
                epoll ? "epoll" : "nio"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "http");
                    t.setDaemon(true);
                    return t;
                }))
                .connectTimeout(Duration.ofSeconds(5)).build();

        long t0 = System.nanoTime();
        long deadline = t0 + (long) (cfg.connectTimeout * 1e9);
        login(deadline);
        for (Pilot p : pilots) {
            if (!p.failed) pending.add(p);
        }
        pump();
        boolean all = done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        connectOver = true;
        pending.clear();
        onLoops(l -> l.pilots.forEach(p -> {
            if (!p.counted) p.fail("connect_timeout");
        }));
        int ready = 0;
        Map<String, Long> failures = new TreeMap<>();
        for (Pilot p : pilots) {
            if (p.ready) ready++;
            else failures.merge(String.valueOf(p.failReason), 1L, Long::sum);
        }
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        log(String.format(Locale.ROOT, "connected: %d/%d ready in %.1f s%s %s", ready, pilots.size(), connectSeconds,
                all ? "" : " (timed out)", failures.isEmpty() ? "" : failures.toString()));

        long now = System.nanoTime();
        sendStart = now + 20_000_000L;
        measureStart = sendStart + (long) (cfg.warmup * 1e9);
        measureEnd = measureStart + (long) (cfg.duration * 1e9);
        sendEnd = measureEnd + (long) (cfg.drain * 1e9);
        for (Loop l : loops) l.loop.execute(l::startSending);

        sleepUntil(measureStart);
        long self = ProcessHandle.current().pid();
        double srv0 = cpuSeconds(cfg.serverPid);
        double self0 = selfCpuSeconds();
        long[] host0 = hostTicks();
        Map<String, Double> prom0 = scrape();
        sleepUntil(measureEnd);
        double srv1 = cpuSeconds(cfg.serverPid);
        double self1 = selfCpuSeconds();
        long[] host1 = hostTicks();
        Map<String, Double> prom1 = scrape();
        long rssKb = statusKb(cfg.serverPid, "VmRSS");
        double[] shownMean = new double[2];
        onLoops(l -> {
            synchronized (shownMean) {
                for (Pilot p : l.pilots) {
                    if (p.ready && !p.closed) {
                        shownMean[0] += p.shown.size();
                        shownMean[1]++;
                    }
                }
            }
        });
        sleepUntil(sendEnd + 1_000_000_000L); // the drain, then a second for the last frames

        Histogram h = new Histogram(60_000_000L, 3);
        long[] c = new long[16];
        long[] events = new long[5];
        Map<String, Long> errors = new TreeMap<>();
        onLoops(l -> {
            synchronized (h) {
                h.add(l.latency);
                c[0] += l.framesWindow; c[1] += l.bytesWindow; c[2] += l.controlWindow;
                c[3] += l.deliveredWindow; c[4] += l.missedWindow; c[5] += l.lateOrDuplicate;
                c[6] += l.velocityNotShown; c[7] += l.unmatched; c[8] += l.protocolErrors;
                c[9] += l.movesWindow; c[10] += l.viewsWindow; c[11] += l.movesTotal; c[12] += l.skippedSends;
                c[13] = Math.max(c[13], l.maxTickLagNanos);
                for (int i = 0; i < 5; i++) events[i] += l.eventsWindow[i];
                l.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            }
        });
        int open = 0;
        for (Pilot p : pilots) {
            if (p.ready && !p.closed) open++;
        }
        double d = cfg.duration;
        long delivered = c[3];
        long missed = c[4];
        long allEvents = events[1] + events[2] + events[3] + events[4];
        Json j = new Json()
                .str("label", cfg.label).str("universe", cfg.universe).num("players", cfg.players)
                .num("ready", ready).num("open_at_end", open).dbl("rate", cfg.rate).dbl("speed", cfg.speed)
                .dbl("view_radius", cfg.viewRadius).dbl("field_w", 2 * field.halfWidth).dbl("field_h", 2 * field.halfHeight)
                .dbl("others_expected", Field.expectedOthers(cfg.players, cfg.viewRadius, 2 * field.halfWidth, 2 * field.halfHeight))
                .dbl("others_shown_mean", shownMean[1] > 0 ? shownMean[0] / shownMean[1] : Double.NaN)
                .dbl("warmup_s", cfg.warmup).dbl("duration_s", d).dbl("connect_s", connectSeconds)
                .dbl("moves_per_s", c[9] / d).dbl("views_per_s", c[10] / d)
                .dbl("events_per_s", allEvents / d).dbl("velocity_per_s", events[2] / d).dbl("appeared_per_s", events[1] / d)
                .dbl("hidden_per_s", events[4] / d).dbl("destroyed_per_s", events[3] / d)
                .dbl("frames_per_s", c[0] / d).dbl("bytes_per_s", c[1] / d).dbl("control_frames_per_s", c[2] / d)
                .num("delivered", delivered).num("missed", missed)
                .dbl4("delivery_ratio", delivered + missed == 0 ? Double.NaN : (double) delivered / (delivered + missed))
                .raw("latency_ms", latencyJson(h))
                .num("late_or_duplicate", c[5]).num("velocity_not_shown", c[6]).num("unmatched", c[7])
                .num("protocol_errors", c[8]).num("skipped_sends", c[12]).dbl("max_tick_lag_ms", c[13] / 1e6)
                .map("errors", errors).map("closes", closes).map("connect_failures", failures)
                .dbl("server_cpu_pct", 100 * (srv1 - srv0) / d).dbl("loadgen_cpu_pct", 100 * (self1 - self0) / d)
                .dbl("host_busy_pct_of_2cores", hostBusy(host0, host1))
                .num("server_rss_kb", rssKb)
                .raw("server", serverJson(prom0, prom1, d));
        System.out.println(j.end());
        System.out.flush();
        log(String.format(Locale.ROOT,
                "%s: %d ready, %.1f others shown, %.0f events/s, %.0f bytes/s, delivered %.4f, p50 %.1f p99 %.1f ms, server CPU %.0f%%",
                cfg.universe, ready, shownMean[1] > 0 ? shownMean[0] / shownMean[1] : Double.NaN, allEvents / d, c[1] / d,
                delivered + missed == 0 ? Double.NaN : (double) delivered / (delivered + missed),
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0, 100 * (srv1 - srv0) / d));
        shutdown();
        return 0;
    }

    // ------------------------------------------------------------------ connecting

    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]*)\"");

    private String base(String scheme) {
        return scheme + "://" + (cfg.host.contains(":") ? "[" + cfg.host + "]" : cfg.host) + ":" + cfg.port;
    }

    private void login(long deadline) throws InterruptedException {
        URI uri = URI.create(base("http") + "/api/login");
        Semaphore permits = new Semaphore(32);
        CountDownLatch left = new CountDownLatch(pilots.size());
        AtomicInteger ok = new AtomicInteger();
        for (Pilot p : pilots) {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.failed = true;
                p.failReason = "login_timeout";
                left.countDown();
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"pilot" + p.index + "\"}")).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, err) -> {
                permits.release();
                Matcher m = r != null && r.statusCode() == 200 ? TOKEN.matcher(r.body()) : null;
                if (m != null && m.find()) {
                    p.token = m.group(1);
                    ok.incrementAndGet();
                } else {
                    p.failed = true;
                    p.failReason = r != null ? "login_http_" + r.statusCode() : "login_" + err.getClass().getSimpleName();
                }
                left.countDown();
            });
        }
        if (!left.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) log("login timed out");
        log("logins: " + ok.get() + "/" + pilots.size());
        for (Pilot p : pilots) {
            if (p.failed) {
                p.counted = true;
                done.countDown();
            }
        }
    }

    private void pump() {
        while (!connectOver && inFlight.get() < cfg.connectConcurrency) {
            Pilot p = pending.poll();
            if (p == null) return;
            inFlight.incrementAndGet();
            p.started = true;
            connect(p);
        }
    }

    private void connect(Pilot p) {
        URI uri = URI.create(base("ws") + "/ws/universes/" + cfg.universe + "?access_token="
                + URLEncoder.encode(p.token, StandardCharsets.UTF_8));
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).subprotocol("relay.v1.bin").version(WebSocketVersion.V13)
                .allowExtensions(false).customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(8 << 20).handleCloseFrames(false)
                .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE).dropPongFrames(true)
                .handshakeTimeoutMillis(30_000).forceCloseTimeoutMillis(2_000).withUTF8Validator(false).build();
        new Bootstrap().group(p.loop.loop).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        p.ch = ch;
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new WebSocketClientProtocolHandler(ws), p);
                    }
                })
                .connect(cfg.host, cfg.port).addListener(f -> {
                    if (!f.isSuccess()) p.loop.loop.execute(() -> p.fail("connect:" + f.cause()));
                });
    }

    // ------------------------------------------------------------------ measuring

    /** The relay's counters at /prometheus (names without the help lines); empty when unreachable. */
    private Map<String, Double> scrape() {
        Map<String, Double> out = new HashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base("http") + "/prometheus"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith("#") || !line.startsWith("relay_")) continue;
                int sp = line.lastIndexOf(' ');
                if (sp > 0) out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            log("scrape failed: " + e);
        }
        return out;
    }

    private static String serverJson(Map<String, Double> a, Map<String, Double> b, double seconds) {
        Json j = new Json();
        double sent = 0;
        for (String type : new String[] {"appeared", "velocity", "destroyed", "hidden"}) {
            String key = "relay_messages_sent_total{type=\"" + type + "\"}";
            double v = (b.getOrDefault(key, 0.0) - a.getOrDefault(key, 0.0)) / seconds;
            sent += v;
            j.dbl(type + "_sent_per_s", v);
        }
        j.dbl("events_sent_per_s", sent);
        j.dbl("bytes_sent_per_s", delta(a, b, "relay_bytes_sent_bytes_total") / seconds);
        j.dbl("moves_received_per_s", delta(a, b, "relay_messages_received_total{type=\"move\"}") / seconds);
        j.dbl("coalesced_per_s", delta(a, b, "relay_events_coalesced_total") / seconds);
        double sweeps = delta(a, b, "relay_interest_sweep_seconds_count");
        j.dbl("sweeps", sweeps);
        j.dbl("sweep_mean_ms", sweeps > 0 ? 1000 * delta(a, b, "relay_interest_sweep_seconds_sum") / sweeps : Double.NaN);
        j.dbl("sweep_max_ms", 1000 * b.getOrDefault("relay_interest_sweep_seconds_max", Double.NaN));
        j.dbl("interest_appeared_per_s", (delta(a, b, "relay_interest_appeared_total{trigger=\"tick\"}")
                + delta(a, b, "relay_interest_appeared_total{trigger=\"view\"}")) / seconds);
        j.dbl("interest_hidden_per_s", (delta(a, b, "relay_interest_hidden_total{trigger=\"tick\"}")
                + delta(a, b, "relay_interest_hidden_total{trigger=\"view\"}")) / seconds);
        return j.end();
    }

    private static double delta(Map<String, Double> a, Map<String, Double> b, String key) {
        return b.getOrDefault(key, 0.0) - a.getOrDefault(key, 0.0);
    }

    private static String latencyJson(Histogram h) {
        Json j = new Json().num("count", h.getTotalCount());
        if (h.getTotalCount() == 0) return j.end();
        return j.dbl("p50", h.getValueAtPercentile(50) / 1000.0).dbl("p90", h.getValueAtPercentile(90) / 1000.0)
                .dbl("p99", h.getValueAtPercentile(99) / 1000.0).dbl("p999", h.getValueAtPercentile(99.9) / 1000.0)
                .dbl("max", h.getMaxValue() / 1000.0).end();
    }

    static double cpuSeconds(long pid) {
        if (pid <= 0) return Double.NaN;
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, USER_HZ 100
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static long statusKb(long pid, String field) {
        if (pid <= 0) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    static double selfCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9 : Double.NaN;
    }

    /** {busy, total} jiffies of the whole machine from /proc/stat. */
    static long[] hostTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) idle += v; // idle, iowait
            }
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static double hostBusy(long[] a, long[] b) {
        long total = b[1] - a[1];
        return total <= 0 ? Double.NaN : 100.0 * (b[0] - a[0]) / total;
    }

    // ------------------------------------------------------------------ plumbing

    private void onLoops(Consumer<Loop> task) throws Exception {
        List<io.netty.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (Loop l : loops) futures.add(l.loop.submit(() -> task.accept(l)));
        for (io.netty.util.concurrent.Future<?> f : futures) f.get(10, TimeUnit.SECONDS);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        while (true) {
            long left = nanoTime - System.nanoTime();
            if (left <= 0) return;
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }

    private void shutdown() {
        try {
            onLoops(l -> l.pilots.forEach(p -> {
                if (p.ch != null && p.ch.isActive()) p.ch.close();
            }));
            Thread.sleep(300);
        } catch (Exception e) {
            // exiting anyway
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** A minimal JSON object writer. */
    static final class Json {
        private final StringBuilder sb = new StringBuilder("{");

        private Json key(String k) {
            if (sb.length() > 1) sb.append(',');
            sb.append('"').append(k).append("\":");
            return this;
        }

        Json str(String k, String v) {
            key(k).sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            return this;
        }

        Json num(String k, long v) {
            key(k).sb.append(v);
            return this;
        }

        Json dbl(String k, double v) {
            key(k).sb.append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null");
            return this;
        }

        Json dbl4(String k, double v) {
            key(k).sb.append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.5f", v) : "null");
            return this;
        }

        Json raw(String k, String json) {
            key(k).sb.append(json);
            return this;
        }

        Json map(String k, Map<?, Long> m) {
            key(k).sb.append('{');
            boolean first = true;
            for (Map.Entry<?, Long> e : new TreeMap<>(m).entrySet()) {
                sb.append(first ? "" : ",").append('"').append(String.valueOf(e.getKey()).replace("\"", "'")).append("\":")
                        .append(e.getValue());
                first = false;
            }
            sb.append('}');
            return this;
        }

        String end() {
            return sb.append('}').toString();
        }
    }
}
