/*
 * Measuring stick for the benchmarks (not part of conntrace): single conntrack operations over one
 * NETLINK_NETFILTER socket in the current network namespace, as a C program does them. For each of N
 * distinct UDP flows (127.2.0.0 + i -> 127.3.0.1:53): create (IPCTNL_MSG_CT_NEW, NLM_F_CREATE |
 * NLM_F_EXCL | NLM_F_ACK, wait for the ACK), get by original tuple (reply, then ACK) and delete (ACK),
 * each timed alone; the same requests CtOpLatency makes. Prints mean, p50, p99 per operation.
 *
 * usage: ct-op-loop [N [WARMUP]]
 */
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char req[512];
static char buf[1 << 16];
static int fd;
static unsigned seq;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

static int put(int at, int type, const void *data, int len) {
    struct nlattr *a = (struct nlattr *)(req + at);
    a->nla_type = type;
    a->nla_len = NLA_HDRLEN + len;
    memcpy(req + at + NLA_HDRLEN, data, len);
    return at + NLA_ALIGN(a->nla_len);
}

static int begin(int at, int type) {
    struct nlattr *a = (struct nlattr *)(req + at);
    a->nla_type = type | NLA_F_NESTED;
    return at + NLA_HDRLEN;
}

static void end(int start, int at) {
    ((struct nlattr *)(req + start))->nla_len = at - start;
}

static int tuple(int at, int type, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport) {
    int t = at;
    at = begin(at, type);
    int ip = at;
    at = begin(at, CTA_TUPLE_IP);
    at = put(at, CTA_IP_V4_SRC, &src, 4);
    at = put(at, CTA_IP_V4_DST, &dst, 4);
    end(ip, at);
    int p = at;
    at = begin(at, CTA_TUPLE_PROTO);
    uint8_t num = 17;
    at = put(at, CTA_PROTO_NUM, &num, 1);
    at = put(at, CTA_PROTO_SRC_PORT, &sport, 2);
    at = put(at, CTA_PROTO_DST_PORT, &dport, 2);
    end(p, at);
    end(t, at);
    return at;
}

/* Sends the request in req (attributes up to at) and reads until the ACK; returns the error (0 = ok). */
static int exchange(int msg, int flags, int at) {
    struct nlmsghdr *h = (struct nlmsghdr *)req;
    h->nlmsg_len = at;
    h->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | msg;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    h->nlmsg_seq = ++seq;
    h->nlmsg_pid = 0;
    struct nfgenmsg *nf = (struct nfgenmsg *)(req + NLMSG_HDRLEN);
    nf->nfgen_family = AF_INET;
    nf->version = NFNETLINK_V0;
    nf->res_id = 0;
    if (send(fd, req, at, 0) < 0) { perror("send"); exit(1); }
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) { perror("recv"); exit(1); }
        for (struct nlmsghdr *r = (struct nlmsghdr *)buf; NLMSG_OK(r, (size_t)n); r = NLMSG_NEXT(r, n)) {
            if (r->nlmsg_type == NLMSG_ERROR) {
                return ((struct nlmsgerr *)NLMSG_DATA(r))->error;
            }
        }
    }
}

static int cmp(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void stats(const char *op, uint64_t *t, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) sum += t[i];
    qsort(t, n, sizeof *t, cmp);
    printf("%s mean %.1f us, p50 %.1f, p99 %.1f | ", op, sum / n / 1e3, t[n / 2] / 1e3, t[(int)(n * 0.99)] / 1e3);
}

static void run(int n, uint64_t *tc, uint64_t *tg, uint64_t *td) {
    uint32_t server = htonl(0x7F030001u);
    uint16_t dport = htons(53);
    for (int i = 0; i < n; i++) {
        uint32_t client = htonl(0x7F020000u + (uint32_t)i);
        uint16_t sport = htons(1024 + i % 60000);
        int base = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
        int at = tuple(base, CTA_TUPLE_ORIG, client, server, sport, dport);
        at = tuple(at, CTA_TUPLE_REPLY, server, client, dport, sport);
        uint32_t timeout = htonl(600);
        at = put(at, CTA_TIMEOUT, &timeout, 4);
        uint64_t t0 = now_ns();
        int e1 = exchange(IPCTNL_MSG_CT_NEW, NLM_F_CREATE | NLM_F_EXCL, at);
        uint64_t t1 = now_ns();
        at = tuple(base, CTA_TUPLE_ORIG, client, server, sport, dport);
        int e2 = exchange(IPCTNL_MSG_CT_GET, 0, at);
        uint64_t t2 = now_ns();
        at = tuple(base, CTA_TUPLE_ORIG, client, server, sport, dport);
        int e3 = exchange(IPCTNL_MSG_CT_DELETE, 0, at);
        uint64_t t3 = now_ns();
        if (e1 || e2 || e3) {
            fprintf(stderr, "flow %d: create %d get %d delete %d\n", i, e1, e2, e3);
            exit(1);
        }
        if (tc) { tc[i] = t1 - t0; tg[i] = t2 - t1; td[i] = t3 - t2; }
    }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    int warmup = argc > 2 ? atoi(argv[2]) : 2000;
    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) { perror("socket"); return 1; }
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }
    run(warmup, NULL, NULL, NULL);
    uint64_t *tc = malloc(n * sizeof *tc), *tg = malloc(n * sizeof *tg), *td = malloc(n * sizeof *td);
    run(n, tc, tg, td);
    printf("%d flows: ", n);
    stats("create", tc, n);
    stats("get", tg, n);
    stats("delete", td, n);
    printf("\n");
    return 0;
}
