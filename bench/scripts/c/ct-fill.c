/*
 * Measuring aid for the benchmarks (not part of conntrace): creates N conntrack entries in the
 * current network namespace by sending one UDP datagram per flow, from 127.0.0.1 to a distinct
 * loopback destination address each, many datagrams per sendmmsg call.
 *
 * usage: ct-fill COUNT [PORT [RATE]]
 *   flows to 127.1.0.0 + i, destination port PORT (default 9); with RATE > 0, paced at RATE flows per
 *   second: RATE/100 datagrams every 10 ms on an absolute clock (so a late tick is caught up), else
 *   flat out. Prints "sent=N seconds=S".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 1024

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s COUNT [PORT [RATE]]\n", argv[0]);
        return 2;
    }
    long count = strtol(argv[1], NULL, 10);
    int port = argc > 2 ? atoi(argv[2]) : 9;
    long rate = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
    /* Paced: one batch per 10 ms tick. */
    int batch = BATCH;
    if (rate > 0) {
        batch = rate / 100 < 1 ? 1 : rate / 100 > BATCH ? BATCH : (int)(rate / 100);
    }
    if (count <= 0 || count > (1L << 24)) {
        fprintf(stderr, "ct-fill: COUNT must be 1..16777216\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) { perror("socket"); return 1; }
    static struct sockaddr_in dst[BATCH];
    static struct mmsghdr msgs[BATCH];
    static struct iovec iov[BATCH];
    static char payload[1] = {'x'};
    long sent = 0;
    struct timespec t0, tick;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tick = t0;
    while (sent < count) {
        if (rate > 0 && sent > 0) {
            tick.tv_nsec += 10000000L;
            if (tick.tv_nsec >= 1000000000L) { tick.tv_sec++; tick.tv_nsec -= 1000000000L; }
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
        }
        int n = (count - sent) < batch ? (int)(count - sent) : batch;
        for (int i = 0; i < n; i++) {
            uint32_t a = 0x7F010000u + (uint32_t)(sent + i);  /* 127.1.0.0 + i */
            memset(&dst[i], 0, sizeof dst[i]);
            dst[i].sin_family = AF_INET;
            dst[i].sin_port = htons(port);
            dst[i].sin_addr.s_addr = htonl(a);
            iov[i].iov_base = payload;
            iov[i].iov_len = sizeof payload;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_name = &dst[i];
            msgs[i].msg_hdr.msg_namelen = sizeof dst[i];
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int r = sendmmsg(fd, msgs, n, 0);
        if (r < 0) { perror("sendmmsg"); return 1; }
        sent += r;
    }
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("sent=%ld seconds=%.6f\n", sent, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    close(fd);
    return 0;
}
