package dev.universerelay.bench;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.ClientMessage;
import dev.universerelay.protocol.JsonCodec;
import dev.universerelay.protocol.ServerMessage;
import dev.universerelay.universe.Fanout;
import dev.universerelay.universe.JoinResult;
import dev.universerelay.universe.Player;
import dev.universerelay.universe.PlayerIdentity;
import dev.universerelay.universe.PlayerLink;
import dev.universerelay.universe.Rejection;
import dev.universerelay.universe.Universe;
import dev.universerelay.universe.UniverseSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@code move} through {@link Universe#apply}: lock, validation, state update, recipient
 * list, then a fan-out that (like the server's {@code WireFanout}) encodes once per wire format
 * and hands the same bytes to each of the N-1 other players. The links only count bytes, so this
 * is the universe + encode + per-recipient dispatch cost without sockets and outbox queues.
 * Senders rotate over all players, as in the load test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FanoutBenchmark {

    @Param({"20", "100"})
    public int players;

    @Param({"bin", "json"})
    public String wire;

    private Universe universe;
    private Player[] senders;
    private CountingLink[] links;
    private long[] entityIds;
    private int next;
    private long seq;
    private long ops;

    /** Stands in for a connection: takes the shared bytes and counts them. */
    static final class CountingLink implements PlayerLink {
        final boolean binary;
        long messages;
        long bytes;
        byte[] last;

        CountingLink(boolean binary) {
            this.binary = binary;
        }

        /** Control messages (welcome, joined) and per-recipient sends, encoded here. */
        @Override
        public void send(ServerMessage message) {
            byte[] b = message instanceof ServerMessage.DeltaEvent e
                    ? (binary ? BinaryCodec.encode(e) : JsonCodec.encode(e))
                    : JsonCodec.encodeControl(message);
            accept(b);
        }

        void accept(byte[] b) {
            messages++;
            bytes += b.length;
            last = b;
        }

        @Override
        public void close(int closeCode, String reason) {
        }
    }

    /** Encode once per wire format, share the bytes: what the server's WireFanout does. */
    static final Fanout ENCODE_ONCE = (message, recipients) -> {
        if (message instanceof ServerMessage.DeltaEvent event) {
            byte[] bin = null;
            byte[] json = null;
            for (PlayerLink l : recipients) {
                CountingLink c = (CountingLink) l;
                if (c.binary) {
                    if (bin == null) {
                        bin = BinaryCodec.encode(event);
                    }
                    c.accept(bin);
                } else {
                    if (json == null) {
                        json = JsonCodec.encode(event);
                    }
                    c.accept(json);
                }
            }
        } else {
            byte[] json = JsonCodec.encodeControl(message);
            for (PlayerLink l : recipients) {
                ((CountingLink) l).accept(json);
            }
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        boolean binary = "bin".equals(wire);
        UniverseSettings settings = new UniverseSettings(
                new ServerMessage.LimitsInfo(1000, 2000, 64, 2000, 100_000), 0, 10_000);
        universe = new Universe("bench", settings, System::currentTimeMillis, ENCODE_ONCE, () -> "resume");
        senders = new Player[players];
        links = new CountingLink[players];
        entityIds = new long[players];
        for (int i = 0; i < players; i++) {
            links[i] = new CountingLink(binary);
            JoinResult r = universe.join(new PlayerIdentity("p" + i, "p" + i, false), links[i]);
            senders[i] = ((JoinResult.Entered) r).player();
        }
        for (int i = 0; i < players; i++) {
            Rejection r = universe.apply(senders[i], links[i], new ClientMessage.Spawn(i + 1, 1, 0, 0, 10, 0));
            if (r != null) {
                throw new IllegalStateException("spawn refused: " + r);
            }
        }
        // ids are handed out in order from 1
        List<ServerMessage.Appeared> all = universe.entities();
        for (int i = 0; i < players; i++) {
            entityIds[i] = all.get(i).id();
        }
        for (CountingLink l : links) {
            l.messages = 0;
            l.bytes = 0;
        }
        ops = 0;
    }

    @Benchmark
    public Rejection moveFanout() {
        int i = next;
        next = i + 1 == players ? 0 : i + 1;
        long s = seq++;
        ops++;
        return universe.apply(senders[i], links[i],
                new ClientMessage.Move(entityIds[i], (float) (s & 0xFFFF), 12.5f, 300f, -40f));
    }

    @TearDown(Level.Trial)
    public void check() {
        long delivered = 0;
        for (CountingLink l : links) {
            delivered += l.messages;
        }
        if (delivered != ops * (players - 1)) {
            throw new IllegalStateException("delivered " + delivered + ", expected " + ops * (players - 1));
        }
    }
}
