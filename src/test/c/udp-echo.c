/*
 * udp-echo: the UDP end the networking tests run inside busybox containers (the busybox nc of
 * Debian's busybox-static speaks TCP only). Built static by the tests with gcc.
 *
 *   udp-echo -l PORT          answer each datagram TEXT with "echo TEXT (from ADDRESS)", ADDRESS
 *                             being where it came from as this end sees it; print it too
 *   udp-echo ADDRESS PORT TEXT  send TEXT, print the answer; exit 1 after 3 s without one
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int serve(int s, int port) {
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (bind(s, (struct sockaddr *) &me, sizeof me) != 0) {
        perror("udp-echo: bind");
        return 1;
    }
    printf("listening on udp port %d\n", port);
    fflush(stdout);
    for (;;) {
        char text[1024], answer[1200];
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(s, text, sizeof text - 1, 0, (struct sockaddr *) &from, &len);
        if (n < 0) {
            perror("udp-echo: recvfrom");
            return 1;
        }
        text[n] = 0;
        int m = snprintf(answer, sizeof answer, "echo %s (from %s)", text, inet_ntoa(from.sin_addr));
        printf("%s\n", answer);
        fflush(stdout);
        sendto(s, answer, m, 0, (struct sockaddr *) &from, len);
    }
}

static int ask(int s, const char *address, int port, const char *text) {
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (inet_pton(AF_INET, address, &to.sin_addr) != 1) {
        fprintf(stderr, "udp-echo: %s is not an IPv4 address\n", address);
        return 2;
    }
    struct timeval timeout = {.tv_sec = 3};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (sendto(s, text, strlen(text), 0, (struct sockaddr *) &to, sizeof to) < 0) {
        perror("udp-echo: sendto");
        return 1;
    }
    char answer[1200];
    ssize_t n = recv(s, answer, sizeof answer - 1, 0);
    if (n < 0) {
        perror("udp-echo: no answer");
        return 1;
    }
    answer[n] = 0;
    printf("%s\n", answer);
    return 0;
}

int main(int argc, char **argv) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) {
        perror("udp-echo: socket");
        return 1;
    }
    if (argc == 3 && strcmp(argv[1], "-l") == 0) {
        return serve(s, atoi(argv[2]));
    }
    if (argc == 4) {
        return ask(s, argv[1], atoi(argv[2]), argv[3]);
    }
    fprintf(stderr, "usage: udp-echo -l PORT | udp-echo ADDRESS PORT TEXT\n");
    return 2;
}
