package dev.conntrace.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback traffic for live-capture tests; call inside a test's private network namespace. */
final class LiveTraffic {
    private LiveTraffic() {}

    /** Sends {@code count} one-byte UDP datagrams to 127.0.0.1:{@code port} (nothing listens: ICMP errors follow). */
    static void udp(int port, int count) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < count; i++) {
                s.send(new DatagramPacket(new byte[] {(byte) i}, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
        }
    }

    /** Sends {@code data} over a TCP connection on loopback to a listener that reads it all, then both close. */
    static int tcp(byte[] data) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            accepted.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write(data);
            client.shutdownOutput();
            InputStream in = accepted.getInputStream();
            long total = 0;
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
            if (total != data.length) {
                throw new IOException("received " + total + " of " + data.length + " bytes");
            }
            accepted.shutdownOutput();
            return client.getLocalPort();
        }
    }

    /** Connects to 127.0.0.1:{@code port}, where nothing listens: a SYN and its RST. */
    static void refusedTcp(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            throw new IOException("something listens on port " + port);
        } catch (java.net.ConnectException refused) {
            // expected
        }
    }
}
