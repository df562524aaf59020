package dev.conntrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void joinWaitsThroughAnInterruptAndKeepsIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        boolean[] interruptedAfter = new boolean[1];
        boolean[] workerAliveAfter = {true};
        Thread joiner = Thread.ofPlatform().start(() -> {
            Threads.joinUninterruptibly(worker);
            workerAliveAfter[0] = worker.isAlive();
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        joiner.interrupt(); // while it waits: it must go on waiting
        Thread.sleep(100);
        assertThat(joiner.isAlive()).isTrue();
        release.countDown();
        joiner.join(10_000);
        assertThat(joiner.isAlive()).isFalse();
        assertThat(workerAliveAfter[0]).isFalse();
        assertThat(interruptedAfter[0]).isTrue();
    }
}
