package bench.interest;

import java.net.InetAddress;
import java.net.URI;

/** Command-line options. Every phase is bounded; the run refuses anything but loopback. */
final class Config {
    String url = "ws://127.0.0.1:8080";
    String universe = "open-bench";
    int players = 1000;
    double rate = 5; // moves per second per pilot
    double speed = 150; // world units per second
    double viewRadius = 2000;
    double others = 20; // how many other ships a view should hold on average (sets the field size)
    double viewEvery = 1; // seconds between two views of one pilot (the view follows its ship)
    double warmup = 15;
    double duration = 20;
    double drain = 3;
    double connectTimeout = 60;
    int connectConcurrency = 100;
    int threads = 1;
    long serverPid = -1;
    long seed = 1;
    String label = "";

    String host;
    int port;

    static final String USAGE = String.join("\n",
            "usage: interest-bench [options]   (one universe; prints one JSON line on stdout)",
            "  --url ws://127.0.0.1:8080      relay base URL (loopback only)",
            "  --universe NAME                universe; open-* has interest management by default (open-bench)",
            "  --players N                    pilots, one connection and one ship each (1000)",
            "  --rate R                       moves per second per pilot (5)",
            "  --speed S                      ship speed, world units/s (150)",
            "  --view-radius R                radius of each pilot's view around its ship (2000)",
            "  --others K                     mean number of other ships within a view: sets the field (20)",
            "  --view-every S                 seconds between views of one pilot (1)",
            "  --warmup W --duration D        seconds of load before measuring, measured seconds (15, 20)",
            "  --drain S                      seconds of further load after the window, to see late or lost events (3)",
            "  --connect-timeout S            limit of the login and connect phase (60)",
            "  --connect-concurrency C        handshakes in flight (100)",
            "  --threads T                    event loop threads (1)",
            "  --server-pid PID               report this process's CPU over the window",
            "  --seed N                       random seed of start points and turns (1)",
            "  --label TEXT                   copied into the report");

    static Config parse(String[] args) {
        Config c = new Config();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.err.println(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) fail("missing value for " + a);
            String v = args[++i];
            switch (a) {
                case "--url": c.url = v; break;
                case "--universe": c.universe = v; break;
                case "--players": c.players = Integer.parseInt(v); break;
                case "--rate": c.rate = Double.parseDouble(v); break;
                case "--speed": c.speed = Double.parseDouble(v); break;
                case "--view-radius": c.viewRadius = Double.parseDouble(v); break;
                case "--others": c.others = Double.parseDouble(v); break;
                case "--view-every": c.viewEvery = Double.parseDouble(v); break;
                case "--warmup": c.warmup = Double.parseDouble(v); break;
                case "--duration": c.duration = Double.parseDouble(v); break;
                case "--drain": c.drain = Double.parseDouble(v); break;
                case "--connect-timeout": c.connectTimeout = Double.parseDouble(v); break;
                case "--connect-concurrency": c.connectConcurrency = Integer.parseInt(v); break;
                case "--threads": c.threads = Integer.parseInt(v); break;
                case "--server-pid": c.serverPid = Long.parseLong(v); break;
                case "--seed": c.seed = Long.parseLong(v); break;
                case "--label": c.label = v; break;
                default: fail("unknown option " + a);
            }
        }
        if (c.players < 2 || c.players > 20_000) fail("--players must be in [2, 20000]");
        if (!(c.rate > 0 && c.rate <= 50)) fail("--rate must be in (0, 50]");
        if (!(c.speed >= 0 && c.speed < 2000)) fail("--speed must be in [0, 2000)");
        if (!(c.viewRadius > 0) || !(c.others > 0)) fail("--view-radius and --others must be positive");
        if (!(c.viewEvery > 0)) fail("--view-every must be positive");
        if (c.warmup < 0 || c.warmup > 120 || c.duration <= 0 || c.duration > 120 || c.drain < 0 || c.drain > 30) {
            fail("--warmup [0,120], --duration (0,120], --drain [0,30]");
        }
        if (c.connectTimeout <= 0 || c.connectTimeout > 300) fail("--connect-timeout (0,300]");
        if (c.threads < 1 || c.threads > 8 || c.connectConcurrency < 1) fail("bad --threads or --connect-concurrency");
        if (!c.universe.matches("[A-Za-z0-9_-]{1,64}")) fail("bad --universe");
        URI u = URI.create(c.url);
        if (!"ws".equals(u.getScheme()) || u.getHost() == null) fail("--url must be ws://host:port");
        c.host = u.getHost();
        c.port = u.getPort() > 0 ? u.getPort() : 80;
        try {
            for (InetAddress ia : InetAddress.getAllByName(c.host)) {
                if (!ia.isLoopbackAddress()) fail("refusing non-loopback host " + c.host);
            }
        } catch (java.net.UnknownHostException e) {
            fail("unknown host " + c.host);
        }
        return c;
    }

    static void fail(String why) {
        System.err.println("interest-bench: " + why);
        System.err.println(USAGE);
        System.exit(2);
    }
}
