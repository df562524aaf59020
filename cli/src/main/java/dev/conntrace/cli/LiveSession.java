package dev.conntrace.cli;

import dev.conntrace.packet.BpfProgram;
import dev.conntrace.packet.LiveCapture;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.SysException;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A live capture for a command: opened with a clear error, stopped by SIGINT/SIGTERM (a shutdown hook
 * stops the capture and waits, at most 10 s, until the command has flushed its output and printed its
 * counts) or after a number of seconds. Use from the thread that reads the capture.
 */
final class LiveSession implements AutoCloseable {
    private final LiveCapture capture;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private final Thread timer;

    private LiveSession(LiveCapture capture, long seconds) {
        this.capture = capture;
        this.hook = new Thread(() -> {
            capture.stop();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "conntrace-capture-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        this.timer = seconds <= 0 ? null : Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                capture.stop();
            } catch (InterruptedException e) {
                // closed before the time was up
            }
        });
    }

    /**
     * Opens a capture on {@code iface}.
     *
     * @param seconds stop after this many seconds (0: until a signal)
     * @throws IOException with a message for the user (needs privileges, no such interface...)
     */
    static LiveSession open(String iface, BpfProgram filter, long seconds) throws IOException {
        return open(iface, filter, seconds, LiveCapture.Options.defaults());
    }

    /** As {@link #open(String, BpfProgram, long)} with the given ring, snapshot length and promiscuity. */
    static LiveSession open(String iface, BpfProgram filter, long seconds, LiveCapture.Options options) throws IOException {
        LiveCapture c;
        try {
            c = LiveCapture.open(iface, options, filter);
        } catch (SysException e) {
            if (e.is(Errno.EPERM) || e.is(Errno.EACCES)) {
                throw new IOException("capturing on " + iface + " needs root or CAP_NET_RAW (" + e.errnoName() + ")", e);
            }
            if (e.is(Errno.ENODEV) || e.operation().contains("if_nametoindex")) {
                throw new IOException("no such interface: " + iface, e);
            }
            if (options.fanout() != null && e.operation().equals("setsockopt(PACKET_FANOUT)")) {
                throw new IOException(fanoutRefused(iface, options, e), e);
            }
            if (filter != null && e.operation().equals("setsockopt") && e.is(Errno.EINVAL)) {
                throw new IOException("the kernel rejected the BPF filter (EINVAL)", e);
            }
            throw e;
        }
        return new LiveSession(c, seconds);
    }

    /** One line for a refused fanout join: the group, the errno and what it means here. */
    private static String fanoutRefused(String iface, LiveCapture.Options options, SysException e) {
        String why = switch (e.errno()) {
            case Errno.EINVAL -> ": the group exists with another mode or flags, or on another interface";
            case Errno.ENOSPC -> ": the group is full";
            default -> "";
        };
        return "cannot join fanout group " + options.fanout() + " on " + iface + ": " + e.errnoName() + " ("
                + Errno.description(e.errno()) + ")" + why;
    }

    /** {@code options} with a ring of about {@code bytes} (whole pages): blocks of at most 4 MiB. */
    static LiveCapture.Options ring(LiveCapture.Options options, long bytes) {
        long pages = Math.max(1, (bytes + 4095) / 4096);
        int blockPages = (int) Math.min(pages, 1024);
        int blocks = (int) Math.min((pages + blockPages - 1) / blockPages, (1L << 31) / (4096L * blockPages));
        return options.withRing(blockPages * 4096, blocks);
    }

    LiveCapture capture() {
        return capture;
    }

    /**
     * Prints the kernel's counts on {@code err} as tcpdump's last two lines ("N packets received by filter",
     * "M packets dropped by kernel"); a failure to read them is printed instead.
     */
    void printKernelCounts(java.io.PrintStream err, String command) {
        try {
            err.println(capture.kernelPackets() + " packets received by filter");
            err.println(capture.drops() + " packets dropped by kernel");
        } catch (SysException e) {
            err.println("conntrace " + command + ": cannot read the kernel's packet counts: " + e.getMessage());
        }
        err.flush();
    }

    /** Closes the capture and lets a pending shutdown finish. */
    @Override
    public void close() throws IOException {
        try {
            if (timer != null) {
                timer.interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the countdown below
            }
            capture.close();
        } finally {
            finished.countDown();
        }
    }
}
