/* A bounded TCP bulk transfer for the live-capture benchmark.
 *
 *   tcp-bulk recv PORT            accept one connection, read to EOF, print "received BYTES SECONDS GBITS"
 *   tcp-bulk send ADDR PORT BYTES [MBITS]
 *                                 send BYTES (64 KiB writes), paced to MBITS Mbit/s if given (>0),
 *                                 print "sent BYTES SECONDS GBITS"
 * The receiver prints "listening" on stdout once it accepts connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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

static void die(const char *what) {
    perror(what);
    exit(1);
}

static char buf[1 << 16];

static int recv_mode(int port) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (l < 0 || bind(l, (struct sockaddr *) &a, sizeof a) < 0 || listen(l, 1) < 0) die("listen");
    printf("listening\n");
    fflush(stdout);
    int c = accept(l, NULL, NULL);
    if (c < 0) die("accept");
    double start = now();
    long long total = 0;
    for (;;) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("read");
        if (n == 0) break;
        total += n;
    }
    double s = now() - start;
    printf("received %lld %.3f %.3f\n", total, s, total * 8 / s / 1e9);
    close(c);
    close(l);
    return 0;
}

static int send_mode(const char *addr, int port, long long bytes, double mbits) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, addr, &a.sin_addr) != 1) die("address");
    if (s < 0 || connect(s, (struct sockaddr *) &a, sizeof a) < 0) die("connect");
    memset(buf, 'x', sizeof buf);
    double start = now();
    long long sent = 0;
    while (sent < bytes) {
        if (mbits > 0) { /* pace: never ahead of the schedule by more than one write */
            double due = start + sent * 8 / (mbits * 1e6);
            double wait = due - now();
            if (wait > 0) {
                struct timespec t = {(time_t) wait, (long) ((wait - (time_t) wait) * 1e9)};
                nanosleep(&t, NULL);
            }
        }
        size_t want = bytes - sent < (long long) sizeof buf ? (size_t) (bytes - sent) : sizeof buf;
        ssize_t n = write(s, buf, want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("write");
        sent += n;
    }
    shutdown(s, SHUT_WR);
    while (read(s, buf, sizeof buf) > 0) { /* wait for the receiver's close: all bytes delivered */
    }
    double secs = now() - start;
    printf("sent %lld %.3f %.3f\n", sent, secs, sent * 8 / secs / 1e9);
    close(s);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "recv") == 0) return recv_mode(atoi(argv[2]));
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "send") == 0)
        return send_mode(argv[2], atoi(argv[3]), atoll(argv[4]), argc == 6 ? atof(argv[5]) : 0);
    fprintf(stderr, "usage: tcp-bulk recv PORT | tcp-bulk send ADDR PORT BYTES [MBITS]\n");
    return 2;
}
