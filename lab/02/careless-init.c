/*
 * Chapter 2, exercise 5: a program that, run as a container's pid 1, starts a few background jobs
 * whose parent exits at once (so each job is an orphan, and ends soon after), never reaps them,
 * and sleeps forever. Without --init its container shows zombies; with --init, none.
 * Graded by ./jbox lab check 2 (chapters/02-namespaces/checks/exercise-5.txt), which builds it with
 *   gcc -static -o careless-init careless-init.c
 */
#include <stdio.h>

int main(void) {
    fprintf(stderr, "careless-init: not written yet\n");
    return 1;
}
