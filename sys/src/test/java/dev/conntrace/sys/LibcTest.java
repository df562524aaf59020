package dev.conntrace.sys;

import static dev.conntrace.sys.SocketConstants.AF_NETLINK;
import static dev.conntrace.sys.SocketConstants.MSG_DONTWAIT;
import static dev.conntrace.sys.SocketConstants.NETLINK_ROUTE;
import static dev.conntrace.sys.SocketConstants.SOCK_CLOEXEC;
import static dev.conntrace.sys.SocketConstants.SOCK_RAW;
import static dev.conntrace.sys.SocketConstants.SOL_SOCKET;
import static dev.conntrace.sys.SocketConstants.SO_RCVBUF;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Unprivileged calls: a NETLINK_ROUTE socket needs no capability. */
class LibcTest {
    @Test
    void netlinkSocketBindsAndReportsItsPortId() throws Exception {
        try (Arena arena = Arena.ofConfined(); Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            MemorySegment address = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE);
            address.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            Libc.bind(fd, address);
            MemorySegment bound = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE);
            int length = Libc.getsockname(fd, bound);
            assertThat(length).isEqualTo(12);
            assertThat(bound.get(JAVA_SHORT, 0)).isEqualTo((short) AF_NETLINK);
            assertThat(bound.get(JAVA_INT, 4)).as("nl_pid assigned by the kernel").isNotZero();
        }
    }

    @Test
    void emptyNonBlockingReceiveIsEagainNotAnException() throws Exception {
        try (Arena arena = Arena.ofConfined(); Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            MemorySegment buffer = arena.allocate(4096);
            MsgHdr msg = MsgHdr.allocate(arena, 12).buffer(buffer, buffer.byteSize()).prepareReceive();
            assertThat(Libc.tryRecvmsg(fd, msg, MSG_DONTWAIT)).isEqualTo(-Errno.EAGAIN);
            assertThatThrownBy(() -> Libc.recv(fd, buffer, buffer.byteSize(), MSG_DONTWAIT))
                    .isInstanceOfSatisfying(SysException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EAGAIN);
                        assertThat(e.operation()).isEqualTo("recv");
                    });
            assertThat(Libc.poll(fd, OsConstants.POLLIN, 0)).isZero();
        }
    }

    /** RTM_GETLINK dump on NETLINK_ROUTE (unprivileged): peek at the reply's size, then read it. */
    @Test
    void peekWithTruncReportsTheDatagramSizeWithoutConsumingIt() throws Exception {
        try (Arena arena = Arena.ofConfined(); Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            MemorySegment kernel = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE);
            kernel.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            MemorySegment request = arena.allocate(32);
            request.set(JAVA_INT, 0, 32); // nlmsg_len: header + struct ifinfomsg
            request.set(JAVA_SHORT, 4, (short) 18); // RTM_GETLINK
            request.set(JAVA_SHORT, 6, (short) (0x1 | 0x300)); // NLM_F_REQUEST | NLM_F_DUMP
            request.set(JAVA_INT, 8, 1); // nlmsg_seq
            assertThat(Libc.sendto(fd, request, 32, 0, kernel)).isEqualTo(32);
            assertThat(Libc.poll(fd, OsConstants.POLLIN, 5000) & OsConstants.POLLIN).isNotZero();
            MemorySegment tiny = arena.allocate(16);
            int size = Libc.recv(fd, tiny, 16, SocketConstants.MSG_PEEK | SocketConstants.MSG_TRUNC);
            assertThat(size).isGreaterThan(16);
            MemorySegment buffer = arena.allocate(size);
            Libc.setsockopt(fd, SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_PKTINFO, 1);
            MsgHdr msg = MsgHdr.allocate(arena, 12, 64).buffer(buffer, size).prepareReceive();
            assertThat(Libc.recvmsg(fd, msg, SocketConstants.MSG_TRUNC)).isEqualTo(size);
            // One cmsg: struct cmsghdr {len=20, SOL_NETLINK, NETLINK_PKTINFO}, struct nl_pktinfo {group 0 = unicast}.
            assertThat(msg.controlLength()).isEqualTo(24);
            assertThat(msg.control().get(JAVA_LONG, 0)).isEqualTo(20);
            assertThat(msg.control().get(JAVA_INT, 8)).isEqualTo(SocketConstants.SOL_NETLINK);
            assertThat(msg.control().get(JAVA_INT, 12)).isEqualTo(SocketConstants.NETLINK_PKTINFO);
            assertThat(msg.control().get(JAVA_INT, 16)).isZero();
            assertThat(msg.flags() & SocketConstants.MSG_TRUNC).isZero();
            assertThat(msg.nameLength()).isEqualTo(12);
            assertThat(msg.name().get(JAVA_INT, 4)).as("sent by the kernel (port 0)").isZero();
            assertThat(buffer.get(JAVA_INT, 0)).as("first nlmsg_len").isLessThanOrEqualTo(size).isGreaterThan(16);
            assertThat(buffer.get(JAVA_INT, 8)).as("reply carries our sequence").isEqualTo(1);
        }
    }

    /** Two RTM_GETLINK requests for the loopback (ifindex 1) in one sendmmsg; two replies come back. */
    @Test
    void sendmmsgSendsSeveralDatagramsInOneCall() throws Exception {
        try (Arena arena = Arena.ofConfined(); Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            MemorySegment kernel = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE);
            kernel.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            MemorySegment vector = arena.allocate(2L * Libc.MMSGHDR_SIZE, 8);
            for (int i = 0; i < 2; i++) {
                MemorySegment request = arena.allocate(32, 4);
                request.set(JAVA_INT, 0, 32);
                request.set(JAVA_SHORT, 4, (short) 18); // RTM_GETLINK
                request.set(JAVA_SHORT, 6, (short) 0x1); // NLM_F_REQUEST
                request.set(JAVA_INT, 8, 100 + i); // nlmsg_seq
                request.set(JAVA_INT, 16 + 4, 1); // ifinfomsg.ifi_index = 1 (lo)
                MemorySegment iov = arena.allocate(16, 8);
                iov.set(java.lang.foreign.ValueLayout.ADDRESS, 0, request);
                iov.set(JAVA_LONG, 8, 32);
                MemorySegment hdr = vector.asSlice((long) i * Libc.MMSGHDR_SIZE, Libc.MMSGHDR_SIZE);
                hdr.set(java.lang.foreign.ValueLayout.ADDRESS, 0, kernel); // msg_name
                hdr.set(JAVA_INT, 8, SocketConstants.SOCKADDR_NL_SIZE); // msg_namelen
                hdr.set(java.lang.foreign.ValueLayout.ADDRESS, 16, iov); // msg_iov
                hdr.set(JAVA_LONG, 24, 1); // msg_iovlen
            }
            assertThat(Libc.trySendmmsg(fd, vector, 2, 0)).isEqualTo(2);
            assertThat(vector.get(JAVA_INT, 56)).as("msg_len of the first").isEqualTo(32);
            assertThat(vector.get(JAVA_INT, Libc.MMSGHDR_SIZE + 56)).isEqualTo(32);
            MemorySegment buffer = arena.allocate(65536);
            for (int i = 0; i < 2; i++) {
                assertThat(Libc.poll(fd, OsConstants.POLLIN, 5000) & OsConstants.POLLIN).isNotZero();
                assertThat(Libc.recv(fd, buffer, buffer.byteSize(), 0)).isGreaterThan(16);
                assertThat(buffer.get(JAVA_INT, 8)).isEqualTo(100 + i);
                assertThat(buffer.get(JAVA_SHORT, 4)).as("RTM_NEWLINK").isEqualTo((short) 16);
            }
        }
    }

    @Test
    void socketOptionsRoundTrip() throws Exception {
        try (Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            Libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 65536);
            // The kernel doubles the value for bookkeeping overhead (socket(7)).
            assertThat(Libc.getsockoptInt(fd, SOL_SOCKET, SO_RCVBUF)).isEqualTo(131072);
            assertThat(Libc.getsockoptInt(fd, SOL_SOCKET, SocketConstants.SO_PROTOCOL)).isEqualTo(NETLINK_ROUTE);
            Libc.setsockoptTimeval(fd, SOL_SOCKET, SocketConstants.SO_RCVTIMEO, Duration.ofMillis(1500));
            assertThatThrownBy(() -> Libc.setsockopt(fd, SOL_SOCKET, 9999, 1))
                    .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOPROTOOPT"));
        }
    }

    @Test
    void missingFileIsEnoent() {
        assertThatThrownBy(() -> Libc.open("/nonexistent/conntrace-test", OsConstants.O_RDONLY))
                .isInstanceOfSatisfying(SysException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.getMessage()).contains("/nonexistent/conntrace-test").contains("ENOENT");
                });
    }

    @Test
    void descriptorClosesOnceAndRefusesUseAfterClose() throws Exception {
        Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        assertThat(fd.isOpen()).isTrue();
        fd.close();
        fd.close();
        assertThat(fd.isOpen()).isFalse();
        assertThatThrownBy(fd::value).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void socketWithBadFamilyFails() {
        assertThatThrownBy(() -> Libc.socket(12345, SOCK_RAW, 0))
                .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAFNOSUPPORT));
    }

    @Test
    void anonymousMappingIsWritable() throws Exception {
        MemorySegment map = Libc.mmap(1 << 16, OsConstants.PROT_READ | OsConstants.PROT_WRITE,
                OsConstants.MAP_PRIVATE | OsConstants.MAP_ANONYMOUS, null, 0);
        try {
            assertThat(map.byteSize()).isEqualTo(1 << 16);
            map.set(JAVA_BYTE, 65535, (byte) 7);
            assertThat(map.get(JAVA_BYTE, 65535)).isEqualTo((byte) 7);
        } finally {
            Libc.munmap(map);
        }
        assertThatThrownBy(() -> Libc.mmap(0, OsConstants.PROT_READ, OsConstants.MAP_PRIVATE | OsConstants.MAP_ANONYMOUS, null, 0))
                .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void interfaceIndexOfLoopbackAndAMissingInterface() throws Exception {
        assertThat(Libc.ifNameToIndex("lo")).isPositive();
        assertThatThrownBy(() -> Libc.ifNameToIndex("ct-no-such-if"))
                .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV));
    }

    @Test
    void readAndWriteAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("data");
        java.nio.file.Files.write(file, new byte[] {1, 2, 3, 4, 5});
        try (Arena arena = Arena.ofConfined(); Fd fd = Libc.open(file.toString(), OsConstants.O_RDONLY)) {
            MemorySegment buffer = arena.allocate(16);
            assertThat(Libc.read(fd, buffer, 16)).isEqualTo(5);
            assertThat(buffer.get(JAVA_BYTE, 4)).isEqualTo((byte) 5);
            assertThat(Libc.read(fd, buffer, 16)).isZero();
            assertThatThrownBy(() -> Libc.write(fd, buffer, 1))
                    .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        }
    }

    @Test
    void connectingToANetlinkPortThatNobodyHoldsIsRefused() throws Exception {
        try (Arena arena = Arena.ofConfined(); Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            MemorySegment kernel = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE);
            kernel.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            Libc.connect(fd, kernel); // port 0 is the kernel: always there
            MemorySegment bad = arena.allocate(SocketConstants.SOCKADDR_NL_SIZE);
            bad.set(JAVA_SHORT, 0, (short) SocketConstants.AF_INET);
            assertThatThrownBy(() -> Libc.connect(fd, bad)).isInstanceOf(SysException.class);
        }
    }

    @Test
    void getpidIsThisProcess() {
        assertThat((long) Libc.getpid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void lengthBeyondBufferIsRejectedBeforeTheCall() throws Exception {
        try (Arena arena = Arena.ofConfined(); Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            MemorySegment buffer = arena.allocate(16);
            assertThatThrownBy(() -> Libc.recv(fd, buffer, 17, MSG_DONTWAIT)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void heapBuffersAreRefusedBeforeTheCall() throws Exception {
        try (Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            MemorySegment heap = MemorySegment.ofArray(new byte[16]);
            assertThatThrownBy(() -> Libc.recv(fd, heap, 16, MSG_DONTWAIT)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void pollWaitsForItsTimeoutWhenNothingArrives() throws Exception {
        try (Fd fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {
            long start = System.nanoTime();
            assertThat(Libc.poll(fd, OsConstants.POLLIN, 120)).isZero();
            assertThat(System.nanoTime() - start).as("waited the 120 ms timeout").isGreaterThanOrEqualTo(100_000_000L);
        }
    }

    @Test
    void directoryEntriesAndLinkTargets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createSymbolicLink(dir.resolve("to-socket"), java.nio.file.Path.of("socket:[4242]"));
        java.nio.file.Files.writeString(dir.resolve("plain"), "x");
        try (Arena arena = Arena.ofConfined(); Fd d = Libc.open(dir.toString(), OsConstants.O_RDONLY)) {
            MemorySegment entries = arena.allocate(4096, 8);
            MemorySegment target = arena.allocate(64);
            java.util.Map<String, Long> found = new java.util.TreeMap<>();
            for (int n; (n = Libc.getdents64(d, entries)) > 0; ) {
                for (int off = 0; off < n; off += entries.get(JAVA_SHORT, off + 16) & 0xFFFF) {
                    MemorySegment name = entries.asSlice(off + 19);
                    found.put(name.getString(0), Libc.tryReadlinkat(d, name, target));
                }
            }
            assertThat(found).containsOnlyKeys(".", "..", "to-socket", "plain");
            assertThat(found.get("to-socket")).isEqualTo(13L);
            assertThat(target.getString(0).substring(0, 13)).isEqualTo("socket:[4242]");
            assertThat(found.get("plain")).as("not a link").isEqualTo((long) -Errno.EINVAL);
            MemorySegment missing = arena.allocateFrom("gone");
            assertThat(Libc.tryReadlinkat(d, missing, target)).isEqualTo(-Errno.ENOENT);
        }
        try (Fd file = Libc.open(dir.resolve("plain").toString(), OsConstants.O_RDONLY);
                Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> Libc.getdents64(file, arena.allocate(4096)))
                    .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTDIR));
        }
    }
}
