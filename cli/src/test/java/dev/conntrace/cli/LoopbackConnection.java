package dev.conntrace.cli;

import dev.conntrace.sys.PrivateNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** One established IPv4 TCP connection on 127.0.0.1 inside a test's namespace: listener, client and accepted end. */
record LoopbackConnection(ServerSocketChannel listener, SocketChannel client, SocketChannel accepted)
        implements AutoCloseable {

    /** Opens the listener and the client in {@code ns} and accepts; the accepted end is the client's peer. */
    static LoopbackConnection open(PrivateNamespace ns) throws Exception {
        ServerSocketChannel listener = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("127.0.0.1", 0)));
        try {
            SocketChannel client = ns.call(() -> {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
                c.connect(listener.getLocalAddress());
                return c;
            });
            try {
                SocketChannel accepted = listener.accept();
                LoopbackConnection c = new LoopbackConnection(listener, client, accepted);
                if (port(accepted.getRemoteAddress()) != c.clientPort()) {
                    c.close();
                    throw new IllegalStateException("accepted a connection from another client");
                }
                return c;
            } catch (Exception | Error e) {
                client.close();
                throw e;
            }
        } catch (Exception | Error e) {
            listener.close();
            throw e;
        }
    }

    int serverPort() throws IOException {
        return port(listener.getLocalAddress());
    }

    int clientPort() throws IOException {
        return port(client.getLocalAddress());
    }

    private static int port(java.net.SocketAddress a) {
        return ((InetSocketAddress) a).getPort();
    }

    @Override
    public void close() throws IOException {
        try (listener; client; accepted) {
            // closed in reverse order
        }
    }
}
