package dev.conntrace.bench;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.diag.LookupResult;
import dev.conntrace.sockets.diag.LookupSteps;
import dev.conntrace.sockets.diag.SockDiag;
import dev.conntrace.sockets.diag.SocketLookup;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SocketLookup} on one loopback TCP connection this benchmark opens (in the JVM's own
 * network namespace, 127.0.0.1 only): a repeated tuple (a cache hit), an uncached lookup (the exact
 * sock_diag get, the cached listener answer, the process index, the process details) and the exact
 * get alone. Reported per call; {@code -prof gc} gives the bytes allocated per call
 * ({@code gc.alloc.rate.norm}), which for {@code repeatedTuple} should be 0.
 *
 * <pre>
 * ./mvnw -B -q -pl bench -am package -DskipTests
 * sudo java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar SocketLookupBenchmark -prof gc
 * </pre>
 *
 * Needs sock_diag (CAP_NET_ADMIN is not needed for one's own namespace, but reading other users'
 * /proc entries for the process index is). Setup fails when the connection is not found.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SocketLookupBenchmark {
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel accepted;
    private SockDiag diag;
    private SocketLookup cached;
    private SocketLookup uncached;
    private FiveTuple tuple;
    private SocketEntry socket;

    @Setup
    public void setUp() throws IOException {
        listener = ServerSocketChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open(StandardProtocolFamily.INET);
        client.connect(listener.getLocalAddress());
        accepted = listener.accept();
        InetSocketAddress from = (InetSocketAddress) client.getLocalAddress();
        InetSocketAddress to = (InetSocketAddress) listener.getLocalAddress();
        IpAddress loopback = IpAddress.parse("127.0.0.1");
        tuple = new FiveTuple(Protocol.TCP, loopback, from.getPort(), loopback, to.getPort()); // the client sends
        diag = SockDiag.open();
        ProcessIndex index = ProcessIndex.system();
        index.fullScan();
        LookupSteps steps = LookupSteps.kernel(diag, index, ProcessDetails.system());
        SocketLookup.Config defaults = SocketLookup.Config.DEFAULT;
        // budgets far above a call's time: a descheduled call must not turn into a cheaper partial answer
        cached = new SocketLookup(diag.netns(), steps, udp(), new SocketLookup.Config(Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofDays(1), defaults.cacheSize(), Duration.ofDays(1)));
        uncached = new SocketLookup(diag.netns(), steps, udp(), new SocketLookup.Config(Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO, defaults.cacheSize(), Duration.ofDays(1)));
        LookupResult r = uncached.lookup(tuple, false, SocketLookup.Mode.THOROUGH);
        if (!r.found() || r.processes().stream().noneMatch(p -> p.pid() == ProcessHandle.current().pid())) {
            throw new IllegalStateException("the benchmark's own connection " + tuple + " was not found: " + r);
        }
        socket = r.socket();
        cached.lookup(tuple, false, SocketLookup.Mode.FAST);
    }

    @TearDown
    public void tearDown() throws IOException {
        diag.close();
        accepted.close();
        client.close();
        listener.close();
    }

    private static UdpDirectionMemory udp() {
        return new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT);
    }

    /** A tuple answered before: the cached result, no system call; allocates nothing. */
    @Benchmark
    public LookupResult repeatedTuple() throws IOException {
        return cached.lookup(tuple, false, SocketLookup.Mode.FAST);
    }

    /** A lookup without the result cache: the exact get, the (cached) listener answer, index and details. */
    @Benchmark
    public LookupResult uncachedLookup() throws IOException {
        return uncached.lookup(tuple, false, SocketLookup.Mode.FAST);
    }

    /** The exact sock_diag get alone, with {@code tcp_info}, decoded into a {@link SocketEntry}. */
    @Benchmark
    public SocketEntry exactGet() throws IOException {
        return diag.get(Protocol.TCP, AddressFamily.INET, socket.localAddress(), socket.localPort(),
                socket.remoteAddress(), socket.remotePort());
    }
}
