/*
 * Measuring aid for the benchmarks (not part of conntrace): creates N conntrack entries in the
 * current network namespace by sending one UDP datagram per flow, from 127.0.0.1 to a distinct
 * loopback destination address each, many datagrams per sendmmsg call.
 *
 * usage: ct-fill COUNT [PORT]    (flows to 127.1.0.0 + i, destination port PORT, default 9)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 1024

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s COUNT [PORT]\n", argv[0]);
        return 2;
    }
    long count = strtol(argv[1], NULL, 10);
    int port = argc > 2 ? atoi(argv[2]) : 9;
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
    while (sent < count) {
        int n = (count - sent) < BATCH ? (int)(count - sent) : BATCH;
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
    close(fd);
    return 0;
}
