/*
 * jbox-bench-net: a small netperf for benchmarks/run net. Static, so the same binary runs on
 * the host and in a container. Every number is the client's own, by CLOCK_MONOTONIC.
 *
 *   jbox-bench-net server ADDRESS PORT
 *       Serves connections one after the other, forever. The first byte of a connection says
 *       what it is: 'S' (stream) reads until EOF, then answers the byte count (8 bytes), so the
 *       sender's clock stops only when every byte has arrived; 'R' (request/response) echoes
 *       each byte until EOF.
 *   jbox-bench-net client ADDRESS PORT SECONDS
 *       A bulk send of SECONDS (128 KiB writes), then a 1-byte request/response loop of
 *       SECONDS, and prints:
 *         jbox-bench-net stream BYTES SECONDS
 *         jbox-bench-net rr TRANSACTIONS SECONDS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (128 * 1024)

static char buffer[CHUNK];

static void die(const char *what) {
    fprintf(stderr, "jbox-bench-net: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static struct sockaddr_in address(const char *host, const char *port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) atoi(port));
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "jbox-bench-net: '%s' is not an IPv4 address\n", host);
        exit(2);
    }
    return a;
}

static void write_all(int fd, const void *data, size_t n) {
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        p += w;
        n -= (size_t) w;
    }
}

/* Reads exactly n bytes; 0 on a clean EOF before any byte. */
static int read_all(int fd, void *data, size_t n) {
    char *p = data;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        if (r == 0) {
            if (got == 0) return 0;
            fprintf(stderr, "jbox-bench-net: connection closed mid-message\n");
            exit(1);
        }
        got += (size_t) r;
    }
    return 1;
}

static void nodelay(int fd) {
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) die("setsockopt TCP_NODELAY");
}

static void serve(int c) {
    char kind;
    if (!read_all(c, &kind, 1)) return;
    if (kind == 'S') {
        uint64_t total = 0;
        for (;;) {
            ssize_t r = read(c, buffer, CHUNK);
            if (r < 0) {
                if (errno == EINTR) continue;
                die("read");
            }
            if (r == 0) break;
            total += (uint64_t) r;
        }
        write_all(c, &total, sizeof total);
    } else if (kind == 'R') {
        nodelay(c);
        char b;
        while (read_all(c, &b, 1)) write_all(c, &b, 1);
    }
}

_Noreturn static void server(const char *host, const char *port) {
    struct sockaddr_in a = address(host, port);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) die("socket");
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s, (struct sockaddr *) &a, sizeof a) < 0) die("bind");
    if (listen(s, 8) < 0) die("listen");
    printf("jbox-bench-net listening %s %s\n", host, port);
    fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR) continue;
            die("accept");
        }
        serve(c);
        close(c);
    }
}

static int connected(struct sockaddr_in *a, char kind) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) die("socket");
    if (connect(s, (struct sockaddr *) a, sizeof *a) < 0) die("connect");
    write_all(s, &kind, 1);
    return s;
}

static int client(const char *host, const char *port, double seconds) {
    struct sockaddr_in a = address(host, port);
    memset(buffer, 'x', CHUNK);

    int s = connected(&a, 'S');
    uint64_t sent = 0, received;
    double start = now();
    while (now() - start < seconds) {
        write_all(s, buffer, CHUNK);
        sent += CHUNK;
    }
    if (shutdown(s, SHUT_WR) < 0) die("shutdown");
    if (!read_all(s, &received, sizeof received)) {
        fprintf(stderr, "jbox-bench-net: the server did not acknowledge the stream\n");
        return 1;
    }
    double elapsed = now() - start;
    close(s);
    if (received != sent) {
        fprintf(stderr, "jbox-bench-net: sent %llu bytes, the server received %llu\n",
                (unsigned long long) sent, (unsigned long long) received);
        return 1;
    }
    printf("jbox-bench-net stream %llu %.6f\n", (unsigned long long) sent, elapsed);

    s = connected(&a, 'R');
    nodelay(s);
    uint64_t transactions = 0;
    char b = 'r';
    start = now();
    double t;
    do {
        write_all(s, &b, 1);
        if (!read_all(s, &b, 1)) {
            fprintf(stderr, "jbox-bench-net: the server closed the request/response connection\n");
            return 1;
        }
        transactions++;
    } while ((t = now() - start) < seconds);
    close(s);
    printf("jbox-bench-net rr %llu %.6f\n", (unsigned long long) transactions, t);
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    if (argc == 4 && strcmp(argv[1], "server") == 0) server(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "client") == 0) return client(argv[2], argv[3], atof(argv[4]));
    fprintf(stderr, "usage: jbox-bench-net server ADDRESS PORT | client ADDRESS PORT SECONDS\n");
    return 2;
}
