package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Budgets with fake steps: a slow step makes a budget-exceeded result, returned by the deadline. */
class SocketLookupBudgetTest {
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");
    private static final FiveTuple TUPLE = new FiveTuple(Protocol.TCP, B, 40000, A, 443);
    private static final SocketEntry SOCKET = new SocketEntry(1, Protocol.TCP, AddressFamily.INET,
            SocketState.ESTABLISHED, A, 443, B, 40000, 0, 0, 0, 4242, 1, 0, V6Only.UNKNOWN, 0, null);

    /** Steps whose socket get is instant and whose pid search takes {@code pidsNanos} unless the deadline comes first. */
    private static class SlowSteps implements LookupSteps {
        final long pidsNanos;
        final AtomicInteger gets = new AtomicInteger();

        SlowSteps(long pidsNanos) {
            this.pidsNanos = pidsNanos;
        }

        @Override
        public SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst,
                int dport, long deadlineNanos) {
            gets.incrementAndGet();
            return sport == 443 && dport == 40000 ? SOCKET : null; // no listener on 443 for the any-remote query
        }

        @Override
        public int[] pids(long inode, boolean thorough, long deadlineNanos) {
            long end = System.nanoTime() + pidsNanos;
            while (System.nanoTime() - end < 0) {
                long left = Math.min(end, deadlineNanos) - System.nanoTime();
                if (left <= 0) {
                    return null; // the deadline came first
                }
                LockSupport.parkNanos(left);
            }
            return new int[] {7};
        }

        @Override
        public ProcessInfo process(int pid) {
            return new ProcessInfo(pid, 1, "fake", "fake", "/bin/fake", 0, "root", 1, java.time.Instant.EPOCH, null);
        }
    }

    private static SocketLookup lookup(LookupSteps steps, Duration fast, Duration thorough) {
        return new SocketLookup(1, steps, new UdpDirectionMemory(InstantSource.system(),
                UdpDirectionMemory.Limits.DEFAULT), new SocketLookup.Config(fast, thorough, Duration.ofSeconds(1), 8));
    }

    @Test
    void slowStepReturnsBudgetExceededWithinTheBudget() throws Exception {
        SocketLookup l = lookup(new SlowSteps(2_000_000_000L), Duration.ofMillis(5), Duration.ofMillis(40));
        for (SocketLookup.Mode mode : SocketLookup.Mode.values()) {
            long budget = mode == SocketLookup.Mode.FAST ? 5_000_000 : 40_000_000;
            long t0 = System.nanoTime();
            LookupResult r = l.lookup(TUPLE, true, mode);
            long took = System.nanoTime() - t0;
            assertThat(r.outcome()).isEqualTo(LookupOutcome.BUDGET_EXCEEDED);
            assertThat(r.socket()).isEqualTo(SOCKET); // partial: the socket was found before time ran out
            assertThat(r.processes()).isEmpty();
            // the deadline is the budget: the 2 s step is cut off there. A loaded CI machine may deschedule
            // the thread past it, so the slack is generous yet a tenth of the step it must cut short.
            assertThat(took).isLessThan(budget + 200_000_000);
        }
        assertThat(l.budgetExceeded()).isEqualTo(2);
        assertThat(l.cacheHits()).isZero(); // budget-exceeded results are not cached
    }

    @Test
    void stepWithinBudgetFindsTheOwnerAndIsCached() throws Exception {
        SlowSteps steps = new SlowSteps(1_000_000);
        SocketLookup l = lookup(steps, Duration.ofMillis(1), Duration.ofMillis(500));
        LookupResult r = l.lookup(TUPLE, true, SocketLookup.Mode.THOROUGH);
        assertThat(r.outcome()).isEqualTo(LookupOutcome.FOUND);
        assertThat(r.attribution()).isEqualTo(Attribution.EXACT_SOCKET);
        assertThat(r.processes()).extracting(ProcessInfo::pid).containsExactly(7);
        assertThat(r.inbound()).isFalse(); // nothing listens on 443 here
        int gets = steps.gets.get();
        assertThat(l.lookup(TUPLE, true, SocketLookup.Mode.FAST)).isSameAs(r);
        assertThat(steps.gets.get()).isEqualTo(gets);
    }

    @Test
    void missesAreExplicit() throws Exception {
        SocketLookup l = lookup(new SlowSteps(0), Duration.ofSeconds(5), Duration.ofSeconds(10)); // not a budget test
        LookupResult r = l.lookup(new FiveTuple(Protocol.TCP, B, 1, A, 2), true, SocketLookup.Mode.FAST);
        assertThat(r.outcome()).isEqualTo(LookupOutcome.CONNECTION_NOT_FOUND);
        assertThat(r.attribution()).isEqualTo(Attribution.NOT_FOUND);
        assertThat(r.inbound()).isTrue();
        SocketLookup orphan = new SocketLookup(1, new SlowSteps(0) {
            @Override
            public SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst,
                    int dport, long deadlineNanos) {
                return dport == 40000 ? SOCKET.withTcpInfo(null) : null;
            }

            @Override
            public int[] pids(long inode, boolean thorough, long deadlineNanos) {
                return new int[0];
            }
        }, new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT),
                // not a budget test: a first call that loads (and, under the fuzzer's agent, instruments) classes
                // must not run out of time
                new SocketLookup.Config(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1), 8));
        LookupResult p = orphan.lookup(TUPLE, true, SocketLookup.Mode.THOROUGH);
        assertThat(p.outcome()).isEqualTo(LookupOutcome.PROCESS_NOT_FOUND);
        assertThat(p.socket()).isEqualTo(SOCKET);
    }
}
