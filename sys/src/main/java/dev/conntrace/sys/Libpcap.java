package dev.conntrace.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The installed libpcap's filter compiler ({@code pcap_compile(3PCAP)}) over FFM: a tcpdump expression in,
 * a classic BPF program ({@code struct bpf_insn[]} of {@code <pcap/bpf.h>}) out. Only the compiler is
 * bound ({@code pcap_open_dead}, {@code pcap_compile}, {@code pcap_geterr}, {@code pcap_freecode},
 * {@code pcap_close}); capture itself does not go through libpcap.
 *
 * <p>The library is looked up once per instance as {@code libpcap.so.1}, then {@code libpcap.so.0.8}
 * (Debian's name), then {@code libpcap.so}. Programs are compiled for a "dead" handle of the given link
 * type, so Linux-only code generation (VLAN tags as packet metadata) is not used: the program reads the
 * packet's bytes only.
 *
 * <p>Thread-safe: compilations are serialised on this instance (libpcap before 1.8 kept the parser's
 * state in globals). Memory: each call allocates and frees one pcap handle and the program's
 * instructions; nothing is kept.
 */
public final class Libpcap {
    /** PCAP_NETMASK_UNKNOWN from {@code <pcap/pcap.h>}: the netmask when "ip broadcast" cannot be resolved. */
    public static final int PCAP_NETMASK_UNKNOWN = 0xFFFF_FFFF; // PCAP_NETMASK_UNKNOWN
    /** The library names tried, in order. */
    static final String[] NAMES = {"libpcap.so.1", "libpcap.so.0.8", "libpcap.so"};
    /** The largest program accepted back from libpcap: BPF_MAXINSNS of {@code <linux/bpf_common.h>}. */
    static final int MAX_INSTRUCTIONS = 4096; // BPF_MAXINSNS
    private static final int PCAP_ERRBUF_SIZE = 256; // PCAP_ERRBUF_SIZE

    private final String libraryName;
    private final MethodHandle openDead;
    private final MethodHandle compile;
    private final MethodHandle geterr;
    private final MethodHandle freecode;
    private final MethodHandle close;
    private final Object lock = new Object();

    private Libpcap(String libraryName, SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        this.libraryName = libraryName;
        this.openDead = linker.downcallHandle(find(lookup, "pcap_open_dead"), FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT));
        this.compile = linker.downcallHandle(find(lookup, "pcap_compile"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
        this.geterr = linker.downcallHandle(find(lookup, "pcap_geterr"),
                FunctionDescriptor.of(ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(PCAP_ERRBUF_SIZE,
                        ValueLayout.JAVA_BYTE)), ADDRESS));
        this.freecode = linker.downcallHandle(find(lookup, "pcap_freecode"), FunctionDescriptor.ofVoid(ADDRESS));
        this.close = linker.downcallHandle(find(lookup, "pcap_close"), FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libpcap has no " + name));
    }

    /**
     * The installed libpcap, or empty when none of {@link #NAMES} loads (or one lacks a needed function).
     * The library stays loaded for the life of the process.
     */
    public static Optional<Libpcap> load() {
        for (String name : NAMES) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException notFound) {
                continue;
            }
            try {
                return Optional.of(new Libpcap(name, lookup));
            } catch (UnsatisfiedLinkError incomplete) {
                // an unrelated or stripped library under that name: try the next one
            }
        }
        return Optional.empty();
    }

    /** The name under which the library was loaded, e.g. "libpcap.so.0.8". */
    public String libraryName() {
        return libraryName;
    }

    /**
     * Compiles {@code expression} (tcpdump syntax, pcap-filter(7)) for packets of link type {@code linkType}
     * (a LINKTYPE_ or DLT_ number) captured with snapshot length {@code snaplen}, optimised as tcpdump does.
     *
     * @return the instructions, each packed as {@code code << 48 | jt << 40 | jf << 32 | (k & 0xFFFFFFFF)}
     * @throws IllegalArgumentException with libpcap's message when the expression does not compile, or
     *     when libpcap does not know the link type
     */
    public long[] compile(String expression, int linkType, int snaplen) {
        if (expression.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("filter expression contains a NUL character");
        }
        synchronized (lock) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pcap = (MemorySegment) openDead.invokeExact(linkType, snaplen);
                if (pcap.equals(MemorySegment.NULL)) {
                    throw new IllegalArgumentException("libpcap cannot compile filters for link type " + linkType);
                }
                try {
                    MemorySegment program = arena.allocate(16, 8); // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
                    MemorySegment text = arena.allocateFrom(expression);
                    int rc = (int) compile.invokeExact(pcap, program, text, 1, PCAP_NETMASK_UNKNOWN);
                    if (rc != 0) {
                        MemorySegment message = (MemorySegment) geterr.invokeExact(pcap);
                        throw new IllegalArgumentException(message.getString(0));
                    }
                    try {
                        return instructions(program);
                    } finally {
                        freecode.invokeExact(program);
                    }
                } finally {
                    close.invokeExact(pcap);
                }
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("calling " + libraryName + " failed", t);
            }
        }
    }

    private static long[] instructions(MemorySegment program) {
        int count = program.get(JAVA_INT, 0); // bf_len
        if (count < 1 || count > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("libpcap produced " + Integer.toUnsignedString(count)
                    + " instructions, outside 1.." + MAX_INSTRUCTIONS);
        }
        MemorySegment insns = program.get(ADDRESS, 8).reinterpret(8L * count); // bf_insns
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            long at = 8L * i; // struct bpf_insn { u_short code; u_char jt; u_char jf; bpf_u_int32 k; }
            long code = Short.toUnsignedLong(insns.get(ValueLayout.JAVA_SHORT, at));
            long jt = Byte.toUnsignedLong(insns.get(ValueLayout.JAVA_BYTE, at + 2));
            long jf = Byte.toUnsignedLong(insns.get(ValueLayout.JAVA_BYTE, at + 3));
            long k = Integer.toUnsignedLong(insns.get(JAVA_INT, at + 4));
            out[i] = code << 48 | jt << 40 | jf << 32 | k;
        }
        return out;
    }
}
