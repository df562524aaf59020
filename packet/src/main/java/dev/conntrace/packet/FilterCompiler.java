package dev.conntrace.packet;

import dev.conntrace.sys.Libpcap;
import java.util.Optional;

/**
 * Compiles tcpdump expressions (pcap-filter(7)) into {@link BpfProgram}s with the installed libpcap
 * ({@link Libpcap}), for a link type given as a LINKTYPE_* number (translated to libpcap's DLT_* where they
 * differ). Thread-safe; holds no per-compilation state.
 */
public final class FilterCompiler {
    static final int DLT_RAW = 12; // DLT_RAW in <pcap/dlt.h> on Linux (LINKTYPE_RAW 101 in files)

    private final Libpcap libpcap;

    private FilterCompiler(Libpcap libpcap) {
        this.libpcap = libpcap;
    }

    /** A compiler over the installed libpcap, or empty when libpcap is not installed. */
    public static Optional<FilterCompiler> load() {
        return Libpcap.load().map(FilterCompiler::new);
    }

    /** The libpcap library in use, e.g. "libpcap.so.0.8". */
    public String library() {
        return libpcap.libraryName();
    }

    /**
     * Compiles {@code expression} for packets of {@code linkType} with snapshot length {@code snaplen}.
     *
     * @throws IllegalArgumentException with libpcap's message (e.g. "syntax error") when it does not compile
     */
    public BpfProgram compile(String expression, int linkType, int snaplen) {
        return BpfProgram.of(libpcap.compile(expression, dltOf(linkType), snaplen));
    }

    /** libpcap's DLT_* for a LINKTYPE_* number. */
    static int dltOf(int linkType) {
        return switch (linkType) {
            case LinkType.RAW, LinkType.RAW_DLT12, LinkType.RAW_DLT14 -> DLT_RAW;
            default -> linkType;
        };
    }
}
