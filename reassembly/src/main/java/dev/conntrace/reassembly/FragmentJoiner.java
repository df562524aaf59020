package dev.conntrace.reassembly;

import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.IpDefragmenter;
import dev.conntrace.packet.LinkType;
import dev.conntrace.packet.PacketDecoder;

/**
 * Puts IP fragments back together ahead of TCP reassembly: a fragment goes to an {@link IpDefragmenter} (made
 * at the first fragment, so captures without any allocate nothing for it), and the datagram it completes is
 * decoded into a packet of its own. Callers test {@link DecodedPacket#isFragment()} first, so whole packets
 * cost one flag test. Not thread-safe: one reading thread.
 */
final class FragmentJoiner {
    private final IpDefragmenter.Limits limits; // null: fragments are left out
    private IpDefragmenter defragmenter;
    private DecodedPacket whole;
    private long fragments;

    /** @param limits the defragmenter's bounds, or null to leave fragments out (only counting them) */
    FragmentJoiner(IpDefragmenter.Limits limits) {
        this.limits = limits;
    }

    /**
     * Takes a decoded fragment captured at {@code nanos}; returns the datagram it completed, decoded (valid
     * until the next call), or null when the datagram is not complete yet (or fragments are left out).
     */
    DecodedPacket offer(DecodedPacket fragment, long nanos) {
        fragments++;
        if (limits == null) {
            return null;
        }
        if (defragmenter == null) {
            defragmenter = new IpDefragmenter(limits);
            whole = new DecodedPacket();
        }
        if (!defragmenter.offer(fragment, nanos)) {
            return null;
        }
        int length = defragmenter.datagramLength();
        PacketDecoder.decode(LinkType.RAW, defragmenter.datagram(), 0, length, length, whole);
        return whole;
    }

    /** What was seen and done so far; datagrams still pending count as incomplete. */
    CaptureReassembler.Fragments counts() {
        if (defragmenter == null) {
            return new CaptureReassembler.Fragments(fragments, 0, 0, 0);
        }
        return new CaptureReassembler.Fragments(fragments, defragmenter.completed(),
                defragmenter.incomplete() + defragmenter.pendingDatagrams(), defragmenter.overlapBytes());
    }
}
