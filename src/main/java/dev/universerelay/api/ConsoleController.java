package dev.universerelay.api;

import dev.universerelay.console.NodeSampler;
import dev.universerelay.console.NodeSeries;
import dev.universerelay.console.NodeStatus;
import dev.universerelay.console.UniverseRow;
import dev.universerelay.protocol.ProtocolConstants;
import dev.universerelay.recording.Recordings;
import dev.universerelay.security.TokenClaims;
import dev.universerelay.transport.LiveConnections;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseMember;
import dev.universerelay.universe.UniverseRegistry;
import dev.universerelay.universe.UniverseSummary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console's data (docs/operations.md, "Console"): every node's state and rates, the
 * last 15 minutes of samples, the universes, one universe's members with their connections, a
 * short-lived spectator token to watch a universe, and draining any node of the cluster. Admin role
 * only (401 without a token, 403 without the role), like the admin API, whose kick and close the
 * console calls as they are. Every answer is bounded: at most {@link NodeSampler#TOP_UNIVERSES}
 * universes per node, {@value #MAX_MEMBERS} members, 15 minutes of samples of at most 64 nodes.
 */
@Controller("/api/console")
@Secured(TokenClaims.ADMIN_ROLE)
public class ConsoleController {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleController.class);
    static final int MAX_MEMBERS = 500;
    /** Lifetime of a watch token: the console asks for a new one when the relay closes its spectator with 4001. */
    static final long WATCH_TOKEN_SECONDS = 600;

    private final NodeSampler sampler;
    private final UniverseRegistry registry;
    private final LiveConnections connections;
    private final TokenGenerator tokens;
    private final Recordings recordings;

    ConsoleController(NodeSampler sampler, UniverseRegistry registry, LiveConnections connections, TokenGenerator tokens,
                      Recordings recordings) {
        this.recordings = recordings;
        this.sampler = sampler;
        this.registry = registry;
        this.connections = connections;
        this.tokens = tokens;
    }

    /** Every node's latest status (this node first), and what the cluster adds up to. */
    @Get("/overview")
    Overview overview() {
        List<NodeStatus> nodes = sampler.nodes();
        Map<String, Long> refusals = new LinkedHashMap<>();
        int connectionsTotal = 0;
        for (NodeStatus n : nodes) {
            if ("lost".equals(n.state())) {
                continue; // shown in the list, no longer counted
            }
            connectionsTotal += n.latest().connections();
            n.refusals().forEach((reason, count) -> refusals.merge(reason, count, Long::sum));
        }
        Map<String, UniverseRow> universes = merged(nodes);
        int universeCount = universes.size();
        int players = universes.values().stream().mapToInt(UniverseRow::players).sum();
        boolean truncated = nodes.stream().anyMatch(n -> n.universeCount() > NodeSampler.TOP_UNIVERSES);
        if (truncated) { // not every universe is known here: count each node's, a shared universe once per node
            List<NodeStatus> live = nodes.stream().filter(n -> !"lost".equals(n.state())).toList();
            universeCount = live.stream().mapToInt(NodeStatus::universeCount).sum();
            players = live.stream().mapToInt(n -> n.latest().players()).sum();
        }
        return new Overview(sampler.nodeId(), System.currentTimeMillis(), connectionsTotal, universeCount, players, refusals,
                nodes.stream().map(NodeStatus::withoutUniverses).toList());
    }

    /** Every node's one-second samples after {@code since} (epoch ms; 0: the last 15 minutes). */
    @Get("/history{?since}")
    History history(@Nullable @QueryValue Long since) {
        return new History(sampler.history(since == null ? 0 : since));
    }

    /**
     * The universes of every node, merged by name (rates summed over nodes), sorted by {@code sort}
     * ({@code players}, {@code entities}, {@code events}, {@code bytes} or {@code name}), at most {@code limit}.
     */
    @Get("/universes{?sort,limit}")
    HttpResponse<?> universes(@Nullable @QueryValue String sort, @Nullable @QueryValue Integer limit) {
        Comparator<UniverseRow> order = order(sort == null ? "players" : sort);
        if (order == null) {
            return HttpResponse.badRequest(new ApiError("sort must be players, entities, events, bytes or name"));
        }
        int cap = limit == null ? NodeSampler.TOP_UNIVERSES : limit;
        if (cap < 1 || cap > NodeSampler.TOP_UNIVERSES) {
            return HttpResponse.badRequest(new ApiError("limit must be 1 to " + NodeSampler.TOP_UNIVERSES));
        }
        List<NodeStatus> nodes = sampler.nodes();
        List<UniverseRow> rows = new ArrayList<>(merged(nodes).values());
        int total = rows.size();
        if (nodes.stream().anyMatch(n -> n.universeCount() > NodeSampler.TOP_UNIVERSES)) {
            // only each node's busiest are known here: count each node's universes (a shared one once per node)
            total = nodes.stream().filter(n -> !"lost".equals(n.state())).mapToInt(NodeStatus::universeCount).sum();
        }
        rows.sort(order);
        return HttpResponse.ok(new UniverseList(total, rows.subList(0, Math.min(cap, rows.size()))));
    }

    private static Comparator<UniverseRow> order(String sort) {
        Comparator<UniverseRow> byName = Comparator.comparing(UniverseRow::name);
        return switch (sort) {
            case "players" -> Comparator.comparingInt(UniverseRow::players).reversed().thenComparing(byName);
            case "entities" -> Comparator.comparingInt(UniverseRow::entities).reversed().thenComparing(byName);
            case "events" -> Comparator.comparingDouble((UniverseRow r) -> r.eventsIn() + r.eventsOut()).reversed()
                    .thenComparing(byName);
            case "bytes" -> Comparator.comparingDouble((UniverseRow r) -> r.bytesIn() + r.bytesOut()).reversed()
                    .thenComparing(byName);
            case "name" -> byName;
            default -> null;
        };
    }

    /** Rows of the same universe on several nodes become one: counts are the universe's, rates add up. */
    private static Map<String, UniverseRow> merged(List<NodeStatus> nodes) {
        Map<String, UniverseRow> byName = new LinkedHashMap<>();
        for (NodeStatus node : nodes) {
            if (node.universes() == null || "lost".equals(node.state())) {
                continue;
            }
            for (UniverseRow r : node.universes()) {
                byName.merge(r.name(), r, (a, b) -> {
                    List<String> where = new ArrayList<>(a.nodes());
                    where.addAll(b.nodes());
                    return new UniverseRow(a.name(), Math.max(a.players(), b.players()),
                            Math.max(a.spectators(), b.spectators()), Math.max(a.entities(), b.entities()),
                            a.eventsIn() + b.eventsIn(), a.eventsOut() + b.eventsOut(), a.bytesIn() + b.bytesIn(),
                            a.bytesOut() + b.bytesOut(), a.recording() != null ? a.recording() : b.recording(), where);
                });
            }
        }
        return byName;
    }

    /** One universe of this node with its members; a member connected here also has its connection. */
    @Get("/universes/{name}")
    HttpResponse<?> universe(String name) {
        Universe universe = registry.find(name).filter(u -> !u.isClosed()).orElse(null);
        if (universe == null) {
            return HttpResponse.notFound(new ApiError("no universe " + name + " on node " + sampler.nodeId()));
        }
        UniverseSummary s = universe.summary();
        Map<Long, LiveConnections.PlayerConnection> here = connections.inUniverse(name, MAX_MEMBERS);
        List<ConsoleMember> members = universe.members().stream()
                .sorted(Comparator.comparing(UniverseMember::spectator).thenComparingLong(UniverseMember::player))
                .limit(MAX_MEMBERS)
                .map(m -> ConsoleMember.of(m, here.get(m.player())))
                .toList();
        return HttpResponse.ok(new UniverseDetail(s.name(), sampler.nodeId(), s.players(), s.spectators(), s.entities(),
                s.createdAt(), recordings.isRecording(name) ? NodeSampler.RECORDING : null, members));
    }

    /**
     * A spectator token for one universe of this node, so that the console can watch it over the
     * normal protocol without putting the admin token in a WebSocket URL: role {@code spectator},
     * only that universe, {@value #WATCH_TOKEN_SECONDS} s, a subject of its own per call (two
     * consoles watching do not take each other over).
     */
    @Post("/universes/{name}/watch")
    HttpResponse<?> watch(String name, Authentication admin) {
        if (!ProtocolConstants.UNIVERSE_NAME.matcher(name).matches() || registry.find(name).isEmpty()) {
            return HttpResponse.notFound(new ApiError("no universe " + name + " on node " + sampler.nodeId()));
        }
        long now = System.currentTimeMillis();
        String token = tokens.generateToken(Map.of(
                "sub", "console-" + UUID.randomUUID(),
                "name", "console",
                "roles", List.of(TokenClaims.SPECTATOR_ROLE),
                "universes", List.of(name),
                "iat", new Date(now),
                "exp", new Date(now + WATCH_TOKEN_SECONDS * 1000)))
                .orElse(null);
        if (token == null) {
            return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR).body(new ApiError("could not sign a token"));
        }
        LOG.info("universe={} watched by admin={}", name, admin.getName());
        return HttpResponse.ok(new GuestLoginController.LoginResponse(token, "Bearer", WATCH_TOKEN_SECONDS));
    }

    /** Drains a node: this one at once (like {@code POST /api/admin/drain}), another at its next sample. */
    @Post("/nodes/{node}/drain")
    HttpResponse<?> drain(String node, Authentication admin) {
        if (!sampler.drain(node, admin.getName())) {
            return HttpResponse.notFound(new ApiError("no node " + node));
        }
        LOG.info("drain of node={} requested by admin={}", node, admin.getName());
        return HttpResponse.accepted().body(new AdminController.DrainStatus(true));
    }

    /**
     * The console's front page. {@code universes} and {@code players} count each universe once,
     * however many nodes serve it, unless a node has more than {@link NodeSampler#TOP_UNIVERSES}
     * universes (then each node's own counts are added up).
     */
    @Serdeable
    public record Overview(String node, long at, int connections, int universes, int players, Map<String, Long> refusals,
                           List<NodeStatus> nodes) {
    }

    /** The charts' data. */
    @Serdeable
    public record History(List<NodeSeries> nodes) {
    }

    /**
     * A page of the universe list; {@code total} counts every universe, listed or not (a universe
     * on several nodes once, unless a node has more than {@link NodeSampler#TOP_UNIVERSES}).
     */
    @Serdeable
    public record UniverseList(int total, List<UniverseRow> universes) {
    }

    /** One universe as the console shows it; {@code recording} is {@code "recording"} while this node records it, else null. */
    @Serdeable
    public record UniverseDetail(String name, String node, int players, int spectators, int entities, long created,
                                 String recording, List<ConsoleMember> members) {
    }

    /**
     * A member; the connection fields are null for a member connected to another node or in its
     * resume grace period.
     */
    @Serdeable
    public record ConsoleMember(long p, String name, boolean spectator, boolean connected, int entities,
                                String address, String wire, Long connectedAt, Long rateLimitHits, Long errors) {
        static ConsoleMember of(UniverseMember m, LiveConnections.PlayerConnection c) {
            return c == null
                    ? new ConsoleMember(m.player(), m.name(), m.spectator(), m.connected(), m.entities(), null, null, null, null, null)
                    : new ConsoleMember(m.player(), m.name(), m.spectator(), m.connected(), m.entities(), c.address(), c.wire(),
                    c.connectedAt(), c.rateLimitHits(), c.errors());
        }
    }
}
