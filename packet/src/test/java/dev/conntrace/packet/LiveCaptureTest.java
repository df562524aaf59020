package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.SysException;
import dev.conntrace.sys.testing.Prerequisites;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captures loopback traffic in a private network namespace through the TPACKET_V3 ring. */
class LiveCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void capturesUdpOnLoopbackAndWritesItToPcapng() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        int datagrams = 20;
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            LiveCapture.Options options = new LiveCapture.Options(1 << 16, 4, 10, 2000);
            try (LiveCapture capture = ns.call(() -> LiveCapture.open("lo", options))) {
                int port = ns.call(() -> {
                    try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                            DatagramSocket sender = new DatagramSocket()) {
                        for (int i = 0; i < datagrams; i++) {
                            byte[] b = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                            sender.send(new DatagramPacket(b, b.length, receiver.getLocalSocketAddress()));
                        }
                        return receiver.getLocalPort();
                    }
                });
                List<String> seen = new ArrayList<>();
                DecodedPacket d = new DecodedPacket();
                Path out = tmp.resolve("live.pcapng");
                try (PcapngWriter w = PcapngWriter.open(out)) {
                    int iface = w.writeInterface(LinkType.ETHERNET, 65535);
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (seen.size() < datagrams && System.nanoTime() < deadline && capture.next()) {
                        assertThat(capture.linkType()).isEqualTo(LinkType.ETHERNET);
                        assertThat(capture.timestampNanos()).isPositive();
                        w.writePacket(iface, capture.timestampNanos(), capture.data(), capture.dataOffset(),
                                capture.captureLength(), capture.originalLength());
                        if (PacketDecoder.decode(capture.linkType(), capture.data(), capture.dataOffset(),
                                capture.captureLength(), capture.originalLength(), d)
                                && d.isUdp() && d.dstPort() == port) {
                            assertThat(d.src().isLoopback()).isTrue();
                            // no checksum check: loopback leaves outgoing checksums to "offload" (partial)
                            byte[] payload = new byte[d.payloadLength()];
                            MemorySegment.copy(d.data(), ValueLayout.JAVA_BYTE, d.payloadOffset(), payload, 0,
                                    payload.length);
                            String text = new String(payload, StandardCharsets.US_ASCII);
                            if (!seen.contains(text)) { // loopback shows each datagram going out and coming in
                                seen.add(text);
                            }
                        }
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < datagrams; i++) {
                    expected.add("datagram " + i);
                }
                assertThat(seen).isEqualTo(expected);
                assertThat(capture.kernelPackets()).isGreaterThanOrEqualTo(datagrams);
                assertThat(capture.drops()).isZero();
                assertThat(Packets.readFile(out).packets()).hasSizeGreaterThanOrEqualTo(datagrams);
                capture.stop();
                assertThat(capture.next()).isFalse();
            }
        }
    }

    @Test
    void kernelFilterKeepsOnlyOnePortAndLoopbackIsSeenOnce() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            LiveCapture.Options options = new LiveCapture.Options(1 << 16, 4, 10, 500);
            int[] ports = ns.call(() -> {
                try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                        DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    return new int[] {a.getLocalPort(), b.getLocalPort()};
                }
            });
            BpfProgram filter = BpfProgram.parse(BpfProgramTest.udpDstPort(ports[0]));
            try (LiveCapture capture = ns.call(() -> LiveCapture.open("lo", options, filter))) {
                assertThat(capture.interfaceLinkType()).isEqualTo(LinkType.ETHERNET);
                ns.run(() -> {
                    try (DatagramSocket sender = new DatagramSocket()) {
                        for (int i = 0; i < 10; i++) {
                            for (int port : ports) {
                                byte[] b = {(byte) i};
                                sender.send(new DatagramPacket(b, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                            }
                        }
                    }
                });
                DecodedPacket d = new DecodedPacket();
                int count = 0;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < deadline && capture.next()) {
                    assertThat(PacketDecoder.decode(capture.linkType(), capture.data(), capture.dataOffset(),
                            capture.captureLength(), capture.originalLength(), d)).isTrue();
                    assertThat(d.isUdp()).isTrue();
                    assertThat(d.dstPort()).isEqualTo(ports[0]);
                    count++;
                }
                assertThat(count).isEqualTo(10);
            }
        }
    }

    @Test
    void unknownInterfaceIsASysError() {
        Prerequisites.requireRoot();
        assertThatThrownBy(() -> LiveCapture.open("no-such-if0", LiveCapture.Options.defaults()))
                .isInstanceOf(SysException.class);
    }

    @Test
    void hardwareTypesMapToLinkTypes() {
        assertThat(LiveCapture.linkTypeOf(1)).isEqualTo(LinkType.ETHERNET);
        assertThat(LiveCapture.linkTypeOf(772)).isEqualTo(LinkType.ETHERNET);
        assertThat(LiveCapture.linkTypeOf(0xFFFE)).isEqualTo(LinkType.RAW);
        assertThat(LiveCapture.linkTypeOf(519)).isEqualTo(LinkType.RAW);
        assertThat(LinkType.isSupported(LiveCapture.linkTypeOf(32))).isFalse(); // ARPHRD_INFINIBAND
        assertThatThrownBy(() -> new LiveCapture.Options(1000, 4, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
