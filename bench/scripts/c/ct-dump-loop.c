/*
 * Measuring stick for the benchmarks (not part of conntrace): dumps the conntrack table of the
 * current network namespace over NETLINK_NETFILTER with a minimal recv loop, counting messages
 * without decoding them, and prints "messages=N seconds=S" for the dump itself.
 *
 * usage: ct-dump-loop [REPEAT] [BUFSIZE]
 */
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int repeat = argc > 1 ? atoi(argv[1]) : 1;
    size_t bufsize = argc > 2 ? (size_t)atol(argv[2]) : 1 << 20;
    char *buf = malloc(bufsize);
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) { perror("socket"); return 1; }
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }
    for (int r = 0; r < repeat; r++) {
        struct {
            struct nlmsghdr nh;
            struct nfgenmsg nf;
        } req = {
            .nh = {.nlmsg_len = sizeof req,
                   .nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET,
                   .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                   .nlmsg_seq = (unsigned)r + 1},
            .nf = {.nfgen_family = AF_INET, .version = NFNETLINK_V0},
        };
        double t0 = now();
        if (send(fd, &req, sizeof req, 0) < 0) { perror("send"); return 1; }
        long messages = 0;
        int done = 0;
        while (!done) {
            ssize_t n = recv(fd, buf, bufsize, 0);
            if (n < 0) { perror("recv"); return 1; }
            for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
                if (h->nlmsg_type == NLMSG_DONE) { done = 1; break; }
                if (h->nlmsg_type == NLMSG_ERROR) { fprintf(stderr, "dump error\n"); return 1; }
                messages++;
            }
        }
        printf("messages=%ld seconds=%.6f\n", messages, now() - t0);
    }
    return 0;
}
