/* Holds COUNT established TCP connections on loopback, spread over PROCS child processes: one
 * listener on 127.0.0.1:PORT (bound to any address), each child connects COUNT/PROCS times to
 * 127.0.0.2..127.0.0.255 (so ephemeral ports never run out) and accepts each connection itself,
 * holding both ends. Prints "ready PID" when every child is done, then waits until its process
 * group (PID) is killed.
 *
 * usage: sock-hold COUNT PROCS PORT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) { perror(what); exit(1); }

static void child(int listener, long count, int id, int ready) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if ((rlim_t)(2 * count + 16) > rl.rlim_cur) {
        fprintf(stderr, "sock-hold: %ld connections need %ld fds, limit is %ld\n", count, 2 * count + 16,
                (long)rl.rlim_cur);
        exit(1);
    }
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(listener, (struct sockaddr *)&a, &len) < 0) die("getsockname");
    for (long i = 0; i < count; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (c < 0) die("socket");
        unsigned host = 2 + (unsigned)((i + id * 7) % 254);
        a.sin_addr.s_addr = htonl(0x7f000000u | host);
        if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
        if (accept(listener, NULL, NULL) < 0) die("accept");
    }
    if (write(ready, "x", 1) != 1) die("write");
    for (;;) pause();
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: sock-hold COUNT PROCS PORT\n");
        return 2;
    }
    setpgid(0, 0); /* the caller ends us all with kill -- -PID */
    long count = atol(argv[1]);
    int procs = atoi(argv[2]);
    int port = atoi(argv[3]);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(l, 4096) < 0) die("listen");
    int p[2];
    if (pipe(p) < 0) die("pipe");
    for (int i = 0; i < procs; i++) {
        long n = count / procs + (i < count % procs ? 1 : 0);
        pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) {
            close(p[0]);
            child(l, n, i, p[1]);
        }
    }
    close(p[1]);
    char c;
    for (int i = 0; i < procs; i++) {
        if (read(p[0], &c, 1) != 1) {
            fprintf(stderr, "sock-hold: a child failed\n");
            kill(0, SIGTERM);
            return 1;
        }
    }
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    for (;;) pause();
}
