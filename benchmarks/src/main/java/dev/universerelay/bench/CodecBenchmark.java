package dev.universerelay.bench;

import dev.universerelay.protocol.BinaryCodec;
import dev.universerelay.protocol.JsonCodec;
import dev.universerelay.protocol.ServerMessage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Encoding one {@code velocity} event, as the fan-out does once per wire format. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

    private long seq;

    /** A typical event: a sequence-number x (as the load generator sends), real-looking floats. */
    private ServerMessage.Velocity next() {
        long s = seq++;
        return new ServerMessage.Velocity(17 + (s & 63), (float) (s & 0xFFFF), -1234.5f, 312.25f, -87.5f,
                1_763_830_000_000L + s);
    }

    @Benchmark
    public byte[] binaryEncode() {
        return BinaryCodec.encode(next());
    }

    @Benchmark
    public byte[] jsonEncode() {
        return JsonCodec.encode(next());
    }
}
