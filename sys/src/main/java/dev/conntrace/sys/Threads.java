package dev.conntrace.sys;

/** Thread helpers shared by the modules that hand work to a thread of their own. */
public final class Threads {
    private Threads() {}

    /**
     * Waits for {@code thread} to end even if this thread is interrupted meanwhile (the interrupt is
     * kept and set again on return): for owners that must not go on while their worker still runs.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
