/*
 * Chapter 1, exercise 5: fchdir-escape COMMAND [ARG...] gets out of a chroot jail with an open
 * directory descriptor and fchdir(2), creating nothing (so it works in a read-only jail), then runs
 * COMMAND from the host's real root, as chapters/01-chroot/jail-escape.c does.
 * Graded by ./jbox lab check 1 (chapters/01-chroot/checks/exercise-5.txt), which builds it with
 *   gcc -static -o fchdir-escape fchdir-escape.c
 */
#include <stdio.h>

int main(int argc, char **argv) {
    (void) argc;
    (void) argv;
    fprintf(stderr, "fchdir-escape: not written yet\n");
    return 1;
}
