/*
 * Measuring stick for the benchmarks (not part of conntrace): a minimal conntrack event reader in C,
 * for comparison with CtEventRate in the same run. Joins NFNLGRP_CONNTRACK_NEW on a NETLINK_NETFILTER
 * socket with an 8 MiB receive queue (SO_RCVBUFFORCE, as conntrace's default), starts FILLER COUNT 9
 * RATE (bench/scripts/c/ct-fill.c) as a child, and reads events (poll, then recv; messages counted, not
 * decoded) until the child has exited and the socket has been quiet for 300 ms. Prints events
 * received, ENOBUFS seen, and this process's CPU time (user + system) per event.
 *
 * usage: ct-event-loop FILLER COUNT [RATE]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILLER COUNT [RATE]\n", argv[0]);
        return 2;
    }
    static char buf[1 << 16];
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) { perror("socket"); return 1; }
    int size = 8 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0) { perror("SO_RCVBUFFORCE"); return 1; }
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }
    int group = NFNLGRP_CONNTRACK_NEW;
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) { perror("join"); return 1; }
    pid_t child = fork();
    if (child == 0) {
        execl(argv[1], argv[1], argv[2], "9", argc > 3 ? argv[3] : "0", (char *)NULL);
        perror("exec");
        _exit(127);
    }
    double c0 = cpu(), t0 = now(), last = t0;
    long events = 0, enobufs = 0;
    int done = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        if (!done && waitpid(child, NULL, WNOHANG) == child) {
            done = 1;
        }
        if (done && now() - last > 0.3) break;
        if (now() - t0 > 120) break; /* bounded */
        if (poll(&p, 1, 50) <= 0) continue;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == ENOBUFS) { enobufs++; continue; }
            perror("recv");
            return 1;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            events++;
        }
        last = now();
    }
    double used = cpu() - c0;
    printf("C reader: received %ld, ENOBUFS %ld, %.0f ms, reader CPU %.0f ns/event\n", events, enobufs,
           (last - t0) * 1e3, used * 1e9 / (events ? events : 1));
    return 0;
}
