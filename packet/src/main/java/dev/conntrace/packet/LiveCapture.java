package dev.conntrace.packet;

import dev.conntrace.sys.Errno;
import dev.conntrace.sys.Fd;
import dev.conntrace.sys.Libc;
import dev.conntrace.sys.OsConstants;
import dev.conntrace.sys.SocketConstants;
import dev.conntrace.sys.SysException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Live capture from one interface through an AF_PACKET socket with a TPACKET_V3 memory-mapped
 * receive ring ({@code <linux/if_packet.h>}, packet(7)). Packets are read in place in the ring;
 * a block is handed back to the kernel when the reader moves past its last packet.
 *
 * <p>The ring's size is fixed at open ({@link Options#blockSize()} x {@link Options#blockCount()});
 * packets the kernel could not fit are counted in {@link #drops()}. On a loopback interface the kernel
 * shows each packet twice (going out and coming in); like libpcap, only the incoming copy is returned.
 * An optional classic BPF filter ({@link BpfProgram}) runs in the kernel. VLAN tags the kernel strips are
 * not put back. Must be opened inside the network namespace whose interface it captures; it keeps
 * capturing there from any thread. Not thread-safe, except {@link #stop()}: close it from the
 * thread that reads it (closing unmaps the ring under a concurrent reader).
 */
public final class LiveCapture implements PacketSource {
    static final int SOL_PACKET = 263; // SOL_PACKET
    static final int PACKET_RX_RING = 5; // PACKET_RX_RING
    static final int PACKET_STATISTICS = 6; // PACKET_STATISTICS
    static final int PACKET_VERSION = 10; // PACKET_VERSION
    static final int TPACKET_V3 = 2; // TPACKET_V3 in enum tpacket_versions
    static final int TP_STATUS_KERNEL = 0; // TP_STATUS_KERNEL
    static final int TP_STATUS_USER = 1; // TP_STATUS_USER
    static final int ETH_P_ALL = 0x0003; // ETH_P_ALL from <linux/if_ether.h>
    static final int ARPHRD_ETHER = 1; // ARPHRD_ETHER from <linux/if_arp.h>
    static final int ARPHRD_RAWIP = 519; // ARPHRD_RAWIP
    static final int ARPHRD_TUNNEL = 768; // ARPHRD_TUNNEL
    static final int ARPHRD_TUNNEL6 = 769; // ARPHRD_TUNNEL6
    static final int ARPHRD_LOOPBACK = 772; // ARPHRD_LOOPBACK
    static final int ARPHRD_SIT = 776; // ARPHRD_SIT
    static final int ARPHRD_IPGRE = 778; // ARPHRD_IPGRE
    static final int ARPHRD_IP6GRE = 823; // ARPHRD_IP6GRE
    static final int ARPHRD_NONE = 0xFFFE; // ARPHRD_NONE

    // struct tpacket_block_desc / tpacket_hdr_v1 offsets
    static final int BLOCK_STATUS = 8; // h1.block_status
    static final int BLOCK_NUM_PKTS = 12; // h1.num_pkts
    static final int BLOCK_FIRST_PKT = 16; // h1.offset_to_first_pkt
    // struct tpacket3_hdr offsets
    static final int TP_NEXT_OFFSET = 0; // tp_next_offset
    static final int TP_SEC = 4; // tp_sec
    static final int TP_NSEC = 8; // tp_nsec
    static final int TP_SNAPLEN = 12; // tp_snaplen
    static final int TP_LEN = 16; // tp_len
    static final int TP_MAC = 24; // tp_mac
    /** TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the frame's struct sockaddr_ll starts. */
    static final int SOCKADDR_LL = 48;
    static final int SLL_HATYPE = 8; // sockaddr_ll.sll_hatype
    static final int SLL_PKTTYPE = 10; // sockaddr_ll.sll_pkttype
    static final int PACKET_OUTGOING = 4; // PACKET_OUTGOING from <linux/if_packet.h>
    static final int SO_ATTACH_FILTER = 26; // SO_ATTACH_FILTER from <asm-generic/socket.h>
    static final int PACKET_ADD_MEMBERSHIP = 1; // PACKET_ADD_MEMBERSHIP
    static final int PACKET_MR_PROMISC = 1; // PACKET_MR_PROMISC
    static final int PACKET_FANOUT = 18; // PACKET_FANOUT
    static final long SIOCGIFHWADDR = 0x8927; // SIOCGIFHWADDR from <linux/sockios.h>
    static final int IFNAMSIZ = 16; // IFNAMSIZ from <linux/if.h>
    static final int BPF_RET_K = 0x06; // BPF_RET | BPF_K

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /**
     * Ring geometry, waiting, and what the kernel delivers.
     *
     * @param blockSize bytes per ring block, a multiple of the page size (default 4 MiB)
     * @param blockCount blocks in the ring (default 32: a 128 MiB ring)
     * @param retireMillis how long the kernel may hold a partly filled block before handing it over
     * @param idleTimeoutMillis {@link #next()} returns false after this long without a packet; 0 waits until {@link #stop()}
     * @param snaplen the kernel keeps at most this many bytes of each packet (1..262144; the filter's verdict
     *     is capped at it, and without a filter a one-instruction program applies it)
     * @param promiscuous put the interface in promiscuous mode while the capture is open (PACKET_MR_PROMISC)
     * @param fanout join this PACKET_FANOUT group (its members share the interface's packets), or null for none
     */
    public record Options(int blockSize, int blockCount, int retireMillis, long idleTimeoutMillis, int snaplen,
            boolean promiscuous, Fanout fanout) {
        /** The largest snapshot length, as tcpdump's default (MAXIMUM_SNAPLEN). */
        public static final int MAX_SNAPLEN = 262144;

        public Options {
            if (blockSize < 4096 || blockSize % 4096 != 0) {
                throw new IllegalArgumentException("block size " + blockSize + " is not a positive multiple of 4096");
            }
            if (blockCount < 1 || (long) blockSize * blockCount > (1L << 31)) {
                throw new IllegalArgumentException("block count " + blockCount + " out of range");
            }
            if (retireMillis < 1 || idleTimeoutMillis < 0) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (snaplen < 1 || snaplen > MAX_SNAPLEN) {
                throw new IllegalArgumentException("snapshot length " + snaplen + " not in 1.." + MAX_SNAPLEN);
            }
        }

        /** Full packets, not promiscuous, no fanout. */
        public Options(int blockSize, int blockCount, int retireMillis, long idleTimeoutMillis) {
            this(blockSize, blockCount, retireMillis, idleTimeoutMillis, MAX_SNAPLEN, false, null);
        }

        /**
         * 32 blocks of 4 MiB, blocks retired after 10 ms, waiting until stopped, full packets, not promiscuous.
         * (A 128 MiB ring holds about 1 s of 1 Gbit/s traffic: room for the JIT's start and for a loaded
         * machine's scheduling stalls; 64 MiB still dropped packets at 1.2 Gbit/s on a loaded 2-CPU machine.)
         */
        public static Options defaults() {
            return new Options(4 << 20, 32, 10, 0);
        }

        /** These options with another idle timeout. */
        public Options withIdleTimeout(long millis) {
            return new Options(blockSize, blockCount, retireMillis, millis, snaplen, promiscuous, fanout);
        }

        /** These options with another ring geometry. */
        public Options withRing(int blockSize, int blockCount) {
            return new Options(blockSize, blockCount, retireMillis, idleTimeoutMillis, snaplen, promiscuous, fanout);
        }

        /** These options with another snapshot length. */
        public Options withSnaplen(int snaplen) {
            return new Options(blockSize, blockCount, retireMillis, idleTimeoutMillis, snaplen, promiscuous, fanout);
        }

        /** These options with promiscuous mode on or off. */
        public Options withPromiscuous(boolean on) {
            return new Options(blockSize, blockCount, retireMillis, idleTimeoutMillis, snaplen, on, fanout);
        }

        /** These options in fanout group {@code group}, hash mode (-1: none). */
        public Options withFanout(int group) {
            return withFanout(group == -1 ? null : Fanout.hash(group));
        }

        /** These options in {@code fanout} (null: none). */
        public Options withFanout(Fanout fanout) {
            return new Options(blockSize, blockCount, retireMillis, idleTimeoutMillis, snaplen, promiscuous, fanout);
        }
    }

    private final String name;
    private final Fd fd;
    private final MemorySegment ring;
    private final Options options;
    private volatile boolean stopped;

    private int block = 0;
    private boolean inBlock;
    private int remaining;
    private long nextPacket; // ring offset of the next tpacket3_hdr in the current block
    private long index = -1;
    private long timestamp;
    private int capLen;
    private int origLen;
    private long dataOffset;
    private int linkType;
    private long drops;
    private long kernelPackets;

    private final int interfaceLinkType;
    private final boolean loopback;

    private LiveCapture(String name, Fd fd, MemorySegment ring, Options options, int hatype) {
        this.name = name;
        this.fd = fd;
        this.ring = ring;
        this.options = options;
        this.interfaceLinkType = linkTypeOf(hatype);
        this.loopback = hatype == ARPHRD_LOOPBACK;
    }

    /**
     * Starts capturing on {@code interfaceName} (in the calling thread's network namespace).
     *
     * @throws SysException if the socket, ring or binding fails (EPERM without CAP_NET_RAW, ENODEV...)
     */
    public static LiveCapture open(String interfaceName, Options options) throws IOException {
        return open(interfaceName, options, null);
    }

    /**
     * Starts capturing on {@code interfaceName}, keeping only packets {@code filter} accepts (the kernel runs
     * it before a packet reaches the ring; null keeps all). The socket is created without a protocol and
     * only bound to ETH_P_ALL on the interface once the filter and ring are in place, so no packet of
     * another interface, nor one the filter rejects, reaches the ring.
     *
     * @throws SysException if the socket, filter, ring or binding fails (EPERM without CAP_NET_RAW, ENODEV,
     *     EINVAL for a filter the kernel rejects...)
     */
    public static LiveCapture open(String interfaceName, Options options, BpfProgram filter) throws IOException {
        int ifindex = Libc.ifNameToIndex(interfaceName);
        Fd fd = Libc.socket(SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW, 0);
        MemorySegment ring = null;
        try (Arena arena = Arena.ofConfined()) {
            BpfProgram program = filter == null ? BpfProgram.of(new long[] {(long) BPF_RET_K << 48 | options.snaplen()})
                    : filter.cappedAt(options.snaplen());
            // a group member takes nothing until it has joined (bound but outside the group, it would see every
            // packet): it starts with a program that keeps none and gets its own once in the group
            attach(fd, options.fanout() == null ? program : BpfProgram.of(new long[] {(long) BPF_RET_K << 48}), arena);
            Libc.setsockopt(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3);
            MemorySegment req = arena.allocate(28); // struct tpacket_req3
            req.set(ValueLayout.JAVA_INT, 0, options.blockSize()); // tp_block_size
            req.set(ValueLayout.JAVA_INT, 4, options.blockCount()); // tp_block_nr
            req.set(ValueLayout.JAVA_INT, 8, 2048); // tp_frame_size (V3 packs frames; must divide the block)
            req.set(ValueLayout.JAVA_INT, 12, options.blockSize() / 2048 * options.blockCount()); // tp_frame_nr
            req.set(ValueLayout.JAVA_INT, 16, options.retireMillis()); // tp_retire_blk_tov
            req.set(ValueLayout.JAVA_INT, 20, 0); // tp_sizeof_priv
            req.set(ValueLayout.JAVA_INT, 24, 0); // tp_feature_req_word
            Libc.setsockopt(fd, SOL_PACKET, PACKET_RX_RING, req);
            long size = (long) options.blockSize() * options.blockCount();
            ring = Libc.mmap(size, OsConstants.PROT_READ | OsConstants.PROT_WRITE, OsConstants.MAP_SHARED, fd, 0);
            MemorySegment sll = arena.allocate(20); // struct sockaddr_ll
            sll.set(ValueLayout.JAVA_SHORT, 0, (short) SocketConstants.AF_PACKET); // sll_family
            sll.set(ValueLayout.JAVA_SHORT, 2, Short.reverseBytes((short) ETH_P_ALL)); // sll_protocol, network order
            sll.set(ValueLayout.JAVA_INT, 4, ifindex); // sll_ifindex
            Libc.bind(fd, sll);
            if (options.promiscuous()) {
                MemorySegment mreq = arena.allocate(16); // struct packet_mreq
                mreq.set(ValueLayout.JAVA_INT, 0, ifindex); // mr_ifindex
                mreq.set(ValueLayout.JAVA_SHORT, 4, (short) PACKET_MR_PROMISC); // mr_type
                Libc.setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq);
            }
            if (options.fanout() != null) { // after bind: the kernel needs the socket running
                joinFanout(fd, options.fanout());
                attach(fd, program, arena);
            }
            MemorySegment bound = arena.allocate(20);
            Libc.getsockname(fd, bound);
            int hatype = Short.toUnsignedInt(bound.get(ValueLayout.JAVA_SHORT, SLL_HATYPE));
            return new LiveCapture(interfaceName, fd, ring, options, hatype);
        } catch (IOException | RuntimeException e) {
            if (ring != null) {
                try {
                    Libc.munmap(ring);
                } catch (SysException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            fd.close();
            throw e;
        }
    }

    /**
     * The LINKTYPE_* of interface {@code interfaceName} in the calling thread's network namespace (from its
     * ARPHRD_* hardware type, SIOCGIFHWADDR), e.g. to compile a filter before {@link #open}; unknown
     * hardware types as {@code 0x10000 | hatype}.
     *
     * @throws SysException ENODEV when there is no such interface
     */
    public static int linkTypeOf(String interfaceName) throws SysException {
        byte[] name = interfaceName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (name.length >= IFNAMSIZ || interfaceName.indexOf('\0') >= 0) {
            throw new SysException("if_nametoindex", Errno.ENODEV, interfaceName);
        }
        try (Fd fd = Libc.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0); // needs no privilege
                Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = arena.allocate(40); // struct ifreq
            MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length); // ifr_name
            Libc.ioctl(fd, SIOCGIFHWADDR, ifreq);
            return linkTypeOf(Short.toUnsignedInt(ifreq.get(ValueLayout.JAVA_SHORT, IFNAMSIZ))); // ifr_hwaddr.sa_family
        }
    }

    /**
     * Joins the group; a refusal names the option and the group ("setsockopt(PACKET_FANOUT)": EINVAL when the
     * group exists with another mode or flags or on another interface, ENOSPC when it is full).
     */
    private static void joinFanout(Fd fd, Fanout fanout) throws SysException {
        try {
            Libc.setsockopt(fd, SOL_PACKET, PACKET_FANOUT, fanout.socketOption());
        } catch (SysException e) {
            SysException named = new SysException("setsockopt(PACKET_FANOUT)", e.errno(), "group " + fanout);
            named.initCause(e);
            throw named;
        }
    }

    private static void attach(Fd fd, BpfProgram filter, Arena arena) throws SysException {
        MemorySegment insns = arena.allocate(8L * filter.length(), 8); // struct sock_filter[]
        for (int i = 0; i < filter.length(); i++) {
            long at = 8L * i;
            insns.set(ValueLayout.JAVA_SHORT, at, (short) filter.code(i)); // code
            insns.set(ValueLayout.JAVA_BYTE, at + 2, (byte) filter.jt(i)); // jt
            insns.set(ValueLayout.JAVA_BYTE, at + 3, (byte) filter.jf(i)); // jf
            insns.set(ValueLayout.JAVA_INT, at + 4, filter.k(i)); // k
        }
        MemorySegment prog = arena.allocate(16, 8); // struct sock_fprog
        prog.set(ValueLayout.JAVA_SHORT, 0, (short) filter.length()); // len
        prog.set(ValueLayout.ADDRESS, 8, insns); // filter
        Libc.setsockopt(fd, SocketConstants.SOL_SOCKET, SO_ATTACH_FILTER, prog);
    }

    /**
     * The LINKTYPE_* of the interface as a whole (from the bound socket's {@code sll_hatype}), for a
     * capture file's interface description before any packet arrives.
     */
    public int interfaceLinkType() {
        return interfaceLinkType;
    }

    /** Makes a waiting or later {@link #next()} return false, packets still in the ring included (callable from any thread). */
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean next() throws IOException {
        long idleSince = System.nanoTime();
        while (true) {
            if (stopped) {
                return false;
            }
            if (inBlock && remaining > 0) {
                if (readPacket()) {
                    return true;
                }
                continue;
            }
            if (inBlock) { // the caller is done with the block's last packet: give it back
                INT.setRelease(ring, blockBase() + BLOCK_STATUS, TP_STATUS_KERNEL);
                inBlock = false;
                block = (block + 1) % options.blockCount();
            }
            long base = blockBase();
            int status = (int) INT.getAcquire(ring, base + BLOCK_STATUS);
            if ((status & TP_STATUS_USER) != 0) {
                inBlock = true;
                remaining = ring.get(ValueLayout.JAVA_INT, base + BLOCK_NUM_PKTS);
                nextPacket = base + Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, base + BLOCK_FIRST_PKT));
                continue;
            }
            long timeout = options.idleTimeoutMillis();
            int wait = 100;
            if (timeout > 0) {
                long left = timeout - (System.nanoTime() - idleSince) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                wait = (int) Math.min(wait, left);
            }
            int revents = Libc.poll(fd, OsConstants.POLLIN, wait); // bounded wait, so stop() is seen promptly
            if ((revents & OsConstants.POLLERR) != 0) {
                socketError();
            }
        }
    }

    /**
     * Reads (and so clears) the socket's pending error, which poll reports as POLLERR until it is read: the
     * interface is down (ENETDOWN: keep waiting, it may come up) or gone (ENODEV and others: an error).
     */
    private void socketError() throws SysException {
        int error = Libc.getsockoptInt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_ERROR);
        if (error != 0 && error != Errno.ENETDOWN) {
            throw new SysException("capture on " + name, error);
        }
    }

    private long blockBase() {
        return (long) block * options.blockSize();
    }

    /** Reads the next packet of the block; false for a loopback packet's outgoing copy (its incoming copy follows). */
    private boolean readPacket() {
        long p = nextPacket;
        long limit = blockBase() + options.blockSize();
        timestamp = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, p + TP_SEC)) * 1_000_000_000L
                + Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, p + TP_NSEC));
        capLen = ring.get(ValueLayout.JAVA_INT, p + TP_SNAPLEN);
        origLen = ring.get(ValueLayout.JAVA_INT, p + TP_LEN);
        dataOffset = p + Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT, p + TP_MAC));
        if (capLen < 0 || dataOffset + capLen > limit) { // never from a sane kernel: keep reads inside the block
            capLen = (int) Math.max(0, limit - dataOffset);
        }
        linkType = linkTypeOf(Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT, p + SOCKADDR_LL + SLL_HATYPE)));
        long next = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, p + TP_NEXT_OFFSET));
        nextPacket = p + next;
        remaining = next == 0 ? 0 : remaining - 1;
        if (loopback && Byte.toUnsignedInt(ring.get(ValueLayout.JAVA_BYTE, p + SOCKADDR_LL + SLL_PKTTYPE)) == PACKET_OUTGOING) {
            return false; // as libpcap does: loopback shows every packet twice
        }
        index++;
        return true;
    }

    /** The LINKTYPE_* of a device's ARPHRD_* hardware type; unknown types as {@code 0x10000 | hatype}. */
    static int linkTypeOf(int hatype) {
        return switch (hatype) {
            case ARPHRD_ETHER, ARPHRD_LOOPBACK -> LinkType.ETHERNET;
            case ARPHRD_NONE, ARPHRD_RAWIP, ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_SIT, ARPHRD_IPGRE, ARPHRD_IP6GRE ->
                LinkType.RAW;
            default -> 0x10000 | hatype;
        };
    }

    /**
     * Packets the kernel dropped because the ring was full, since open (reads and accumulates the
     * socket's PACKET_STATISTICS, which the kernel resets on each read).
     */
    public long drops() throws SysException {
        refreshStatistics();
        return drops;
    }

    /** Packets the kernel passed to this socket since open (including dropped ones). */
    public long kernelPackets() throws SysException {
        refreshStatistics();
        return kernelPackets;
    }

    private void refreshStatistics() throws SysException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stats = arena.allocate(12); // struct tpacket_stats_v3
            Libc.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats);
            kernelPackets += Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 0)); // tp_packets
            drops += Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 4)); // tp_drops
        }
    }

    @Override
    public long timestampNanos() {
        return timestamp;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public int captureLength() {
        return capLen;
    }

    @Override
    public int originalLength() {
        return origLen;
    }

    @Override
    public MemorySegment data() {
        return ring;
    }

    @Override
    public long dataOffset() {
        return dataOffset;
    }

    @Override
    public long packetIndex() {
        return index;
    }

    /** Always -1: a live capture has no tail. */
    @Override
    public long truncatedTail() {
        return -1;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        stopped = true;
        try {
            Libc.munmap(ring);
        } finally {
            fd.close();
        }
    }
}
