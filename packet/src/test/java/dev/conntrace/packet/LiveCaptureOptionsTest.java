package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.SysException;
import dev.conntrace.sys.testing.Prerequisites;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Snapshot length, promiscuous mode, fanout and the kernel's drop counter, on loopback in a private namespace. */
class LiveCaptureOptionsTest {
    private static final LiveCapture.Options SMALL = new LiveCapture.Options(1 << 16, 4, 10, 300);

    /** Sends {@code count} datagrams of {@code size} bytes to port 9 from {@code count} source ports (distinct flows). */
    private static void send(int count, int size) throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        for (int i = 0; i < count; i++) {
            try (DatagramSocket s = new DatagramSocket()) {
                byte[] b = new byte[size];
                b[0] = (byte) i;
                s.send(new DatagramPacket(b, b.length, to));
            }
        }
    }

    private static final String UDP_PORT_9 = BpfProgramTest.udpDstPort(9);

    @Test
    void snaplenIsAppliedByTheKernel() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create();
                LiveCapture c = ns.call(() -> LiveCapture.open("lo", SMALL.withSnaplen(60)))) {
            ns.run(() -> send(3, 500));
            int seen = 0;
            DecodedPacket d = new DecodedPacket();
            while (seen < 3 && c.next()) {
                assertThat(c.captureLength()).isLessThanOrEqualTo(60);
                PacketDecoder.decode(c.linkType(), c.data(), c.dataOffset(), c.captureLength(), c.originalLength(), d);
                if (d.isUdp() && d.dstPort() == 9) {
                    assertThat(c.originalLength()).isEqualTo(14 + 20 + 8 + 500);
                    seen++;
                }
            }
            assertThat(seen).isEqualTo(3);
        }
        assertThatThrownBy(() -> SMALL.withSnaplen(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SMALL.withSnaplen(262145)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void promiscuousModeLastsWhileTheCaptureIsOpen() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            assertThat(ns.exec("ip", "-d", "link", "show", "lo")).contains("promiscuity 0");
            try (LiveCapture c = ns.call(() -> LiveCapture.open("lo", SMALL.withPromiscuous(true)))) {
                assertThat(c.interfaceLinkType()).isEqualTo(LinkType.ETHERNET);
                assertThat(ns.exec("ip", "-d", "link", "show", "lo")).contains("promiscuity 1");
            }
            assertThat(ns.exec("ip", "-d", "link", "show", "lo")).contains("promiscuity 0");
            try (LiveCapture c = ns.call(() -> LiveCapture.open("lo", SMALL))) {
                assertThat(c.interfaceLinkType()).isEqualTo(LinkType.ETHERNET);
                assertThat(ns.exec("ip", "-d", "link", "show", "lo")).contains("promiscuity 0");
            }
        }
    }

    @Test
    void fanoutSplitsFlowsBetweenTheGroupsSockets() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        int flows = 40;
        BpfProgram filter = BpfProgram.parse(UDP_PORT_9);
        try (PrivateNamespace ns = PrivateNamespace.create();
                LiveCapture a = ns.call(() -> LiveCapture.open("lo", SMALL.withFanout(77), filter));
                LiveCapture b = ns.call(() -> LiveCapture.open("lo", SMALL.withFanout(77), filter))) {
            ns.run(() -> send(flows, 20));
            Set<Integer> firsts = new HashSet<>();
            int[] perSocket = new int[2];
            DecodedPacket d = new DecodedPacket();
            LiveCapture[] both = {a, b};
            for (int i = 0; i < 2; i++) {
                LiveCapture c = both[i];
                for (int n = 0; n < 10 * flows && c.next(); n++) { // ends 300 ms after the last packet
                    PacketDecoder.decode(c.linkType(), c.data(), c.dataOffset(), c.captureLength(), c.originalLength(), d);
                    assertThat(firsts.add((int) d.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, d.payloadOffset())))
                            .as("each datagram reaches one socket of the group").isTrue();
                    perSocket[i]++;
                }
            }
            assertThat(firsts).hasSize(flows);
            assertThat(perSocket[0]).as("flows hashed to the first socket").isPositive();
            assertThat(perSocket[1]).as("flows hashed to the second socket").isPositive();
        }
        assertThatThrownBy(() -> SMALL.withFanout(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKernelRefusesAnotherModeForAGroupAndTheRefusalNamesTheOption() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create();
                LiveCapture a = ns.call(() -> LiveCapture.open("lo", SMALL.withFanout(Fanout.parse("78:hash")), null))) {
            assertThat(a.interfaceLinkType()).isEqualTo(LinkType.ETHERNET);
            assertThatThrownBy(() -> ns.call(() -> LiveCapture.open("lo", SMALL.withFanout(Fanout.parse("78:lb")), null)))
                    .isInstanceOfSatisfying(dev.conntrace.sys.SysException.class, e -> {
                        assertThat(e.operation()).isEqualTo("setsockopt(PACKET_FANOUT)");
                        assertThat(e.errnoName()).isEqualTo("EINVAL");
                        assertThat(e.getMessage()).contains("group 78:lb");
                    });
            // the same mode and flags join
            ns.call(() -> LiveCapture.open("lo", SMALL.withFanout(78), null)).close();
        }
    }

    @Test
    void aFullRingCountsKernelDrops() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        int sent = 400;
        try (PrivateNamespace ns = PrivateNamespace.create();
                LiveCapture c = ns.call(() -> LiveCapture.open("lo", new LiveCapture.Options(4096, 1, 1000, 300),
                        BpfProgram.parse(UDP_PORT_9)))) {
            ns.run(() -> send(sent, 1000)); // 400 KB into a 4 KiB ring nobody reads
            long received = c.kernelPackets();
            long dropped = c.drops();
            assertThat(received).isEqualTo(2L * sent); // loopback: each datagram going out and coming in
            assertThat(dropped).isPositive().isLessThan(received);
            int read = 0;
            while (c.next()) {
                read++;
            }
            // only incoming copies are returned, and only those the ring held
            assertThat(read).isPositive().isLessThanOrEqualTo((int) (received - dropped)).isLessThan(sent);
            assertThat(c.drops()).isEqualTo(dropped); // accumulated, not reset by reading
        }
    }

    @Test
    void linkTypeOfAnInterfaceByName() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create()) {
            assertThat(ns.call(() -> LiveCapture.linkTypeOf("lo"))).isEqualTo(LinkType.ETHERNET);
            ns.exec("ip", "link", "add", "ct-v0", "type", "veth", "peer", "name", "ct-v1");
            assertThat(ns.call(() -> LiveCapture.linkTypeOf("ct-v0"))).isEqualTo(LinkType.ETHERNET);
            ns.exec("ip", "tuntap", "add", "ct-tun0", "mode", "tun");
            assertThat(ns.call(() -> LiveCapture.linkTypeOf("ct-tun0"))).isEqualTo(LinkType.RAW);
            assertThatThrownBy(() -> ns.call(() -> LiveCapture.linkTypeOf("no-such-if0"))).isInstanceOf(SysException.class);
        }
    }
}
