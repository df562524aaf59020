package dev.conntrace.reassembly;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** A stream factory that records everything each connection delivers (gaps as zero bytes). */
final class Recorder implements StreamFactory {
    /** One reassembled call as seen by the stream. */
    record Call(StreamHalf half, long offset, int length, int kept, long skip, boolean start, boolean end, byte[] data) {}

    final List<Connection> connections = new ArrayList<>();
    final Map<StreamHalf, ByteArrayOutputStream> bytes = new IdentityHashMap<>();
    final List<Call> calls = new ArrayList<>();
    final Map<StreamHalf, EndReason> closed = new IdentityHashMap<>();
    final List<Connection> completed = new ArrayList<>();
    /** Bytes to keep at the end of every call, or -1. */
    int keepTail = -1;

    @Override
    public Stream newStream(Connection connection, TcpSegment first) {
        connections.add(connection);
        return new Stream() {
            @Override
            public void reassembled(ScatterGather sg) {
                byte[] all = sg.fetch(sg.length());
                calls.add(new Call(sg.half(), sg.streamOffset(), sg.length(), sg.keptLength(), sg.skip(), sg.start(),
                        sg.end(), all));
                ByteArrayOutputStream out = bytes.computeIfAbsent(sg.half(), h -> new ByteArrayOutputStream());
                out.writeBytes(new byte[(int) sg.skip()]);
                out.write(all, sg.keptLength(), all.length - sg.keptLength());
                if (keepTail > 0 && sg.length() > 0) {
                    sg.keepFrom(Math.max(0, sg.length() - keepTail));
                }
            }

            @Override
            public void halfClosed(StreamHalf half, EndReason reason) {
                if (closed.put(half, reason) != null) {
                    throw new AssertionError("closed twice: " + half);
                }
            }

            @Override
            public void completed(Connection c) {
                if (completed.contains(c)) {
                    throw new AssertionError("completed twice: " + c);
                }
                completed.add(c);
            }
        };
    }

    byte[] data(StreamHalf h) {
        ByteArrayOutputStream out = bytes.get(h);
        return out == null ? new byte[0] : out.toByteArray();
    }

    byte[] c2s(int connection) {
        return data(connections.get(connection).clientToServer());
    }

    byte[] s2c(int connection) {
        return data(connections.get(connection).serverToClient());
    }
}
