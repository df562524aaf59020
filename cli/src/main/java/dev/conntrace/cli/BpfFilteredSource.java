package dev.conntrace.cli;

import dev.conntrace.packet.BpfProgram;
import dev.conntrace.packet.FilterCompiler;
import dev.conntrace.packet.LiveCapture;
import dev.conntrace.packet.PacketSource;
import java.io.IOException;

/**
 * A packet source that skips the packets a tcpdump expression rejects, running the program libpcap compiled
 * for each packet's link type here (as tcpdump -r does). Programs are compiled on the first packet of each
 * link type; a capture rarely has more than one or two. Closing it closes the inner source.
 */
final class BpfFilteredSource extends ForwardingSource {
    private static final int MAX_LINK_TYPES = 16;

    private final FilterCompiler compiler;
    private final String expression;
    private final int[] linkTypes = new int[MAX_LINK_TYPES];
    private final BpfProgram[] programs = new BpfProgram[MAX_LINK_TYPES];
    private int known;
    private int lastLinkType = -1;
    private BpfProgram last;

    BpfFilteredSource(PacketSource inner, FilterCompiler compiler, String expression) {
        super(inner);
        this.compiler = compiler;
        this.expression = expression;
    }

    @Override
    public boolean next() throws IOException {
        while (inner.next()) {
            if (program(inner.linkType()).accepts(inner.data(), inner.dataOffset(), inner.captureLength(),
                    inner.originalLength())) {
                return true;
            }
        }
        return false;
    }

    private BpfProgram program(int linkType) throws IOException {
        if (linkType == lastLinkType) {
            return last;
        }
        BpfProgram p = null;
        for (int i = 0; i < known && p == null; i++) {
            if (linkTypes[i] == linkType) {
                p = programs[i];
            }
        }
        if (p == null) {
            try {
                p = CaptureFilters.compile(compiler, expression, linkType, LiveCapture.Options.MAX_SNAPLEN);
            } catch (IllegalArgumentException e) {
                throw new IOException(inner.name() + ", link type " + linkType + ": " + e.getMessage(), e);
            }
            if (known < MAX_LINK_TYPES) { // beyond that, recompiled on each change: still correct
                linkTypes[known] = linkType;
                programs[known++] = p;
            }
        }
        lastLinkType = linkType;
        last = p;
        return p;
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
