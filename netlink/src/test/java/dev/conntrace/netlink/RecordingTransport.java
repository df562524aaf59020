package dev.conntrace.netlink;

import dev.conntrace.sys.SysException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Wraps a transport and keeps a copy of every request sent and datagram received. */
final class RecordingTransport implements NetlinkTransport {
    private final NetlinkTransport inner;
    final List<byte[]> sent = new ArrayList<>();
    final List<byte[]> received = new ArrayList<>();

    RecordingTransport(NetlinkTransport inner) {
        this.inner = inner;
    }

    @Override
    public int portId() {
        return inner.portId();
    }

    @Override
    public void send(MemorySegment message, int length) throws SysException {
        sent.add(message.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
        inner.send(message, length);
    }

    @Override
    public int receive(MemorySegment buffer, boolean wait) throws SysException {
        int n = inner.receive(buffer, wait);
        if (n > 0) {
            received.add(buffer.asSlice(0, Math.min(n, buffer.byteSize())).toArray(ValueLayout.JAVA_BYTE));
        }
        return n;
    }

    @Override
    public int lastSenderPortId() {
        return inner.lastSenderPortId();
    }

    @Override
    public int lastSenderGroups() {
        return inner.lastSenderGroups();
    }

    @Override
    public boolean awaitReadable(int timeoutMillis) throws SysException {
        return inner.awaitReadable(timeoutMillis);
    }

    @Override
    public void setOption(int level, int name, int value) throws SysException {
        inner.setOption(level, name, value);
    }

    @Override
    public int option(int level, int name) throws SysException {
        return inner.option(level, name);
    }

    @Override
    public void receiveTimeout(Duration timeout) throws SysException {
        inner.receiveTimeout(timeout);
    }

    @Override
    public void close() {
        inner.close();
    }
}
