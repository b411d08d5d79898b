/*
 * careless-init: a pid 1 that starts background jobs and never reaps them, for chapter 2's lab
 * (exercise 5, reference solution).
 *
 * Most programs that end up as a container's pid 1 were never meant to be an init: a web server,
 * a shell script, a JVM. They wait for the children they started themselves, as any program does.
 * But pid 1 has one more duty. When a process's parent exits, the kernel gives the orphan a new
 * parent: pid 1 of its PID namespace. When the orphan ends, it stays a zombie (an entry in the
 * process table holding its exit status) until that new parent calls wait(2). A program that does
 * not know it is an init never does, and its container fills up with zombies, which hold pids
 * (a pids cgroup limit counts them, chapter 3) until the container ends.
 *
 * This program starts its jobs the way `sh -c 'job &'` does: a middle process forks the job and
 * exits at once, so the job becomes an orphan. It waits for each middle process it started, and
 * never for the orphans it inherits. Then it sleeps forever.
 *
 * As pid 1 (`jbox run careless-init`) the ended jobs stay zombies: `jbox exec NAME ps -o stat,comm`
 * shows them with stat Z. With `jbox run --init`, jbox-init is pid 1 and this program pid 2; the
 * orphans go to jbox-init, which reaps them. (--init cannot help with a program's *own* children:
 * had this program not waited for its middle processes, they would be its zombies in both cases.)
 *
 *   gcc -static -o careless-init careless-init.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define JOBS 3

static void start_background_job(void) {
    pid_t middle = fork();
    if (middle < 0) {
        perror("careless-init: fork");
        exit(1);
    }
    if (middle == 0) {
        pid_t job = fork();
        if (job == 0) {
            usleep(100 * 1000); /* the job works a little, and ends after its parent is gone */
            _exit(0);
        }
        _exit(job < 0 ? 1 : 0); /* the middle process leaves at once: the job is an orphan */
    }
    waitpid(middle, NULL, 0); /* our own child we do wait for */
}

int main(void) {
    for (int i = 0; i < JOBS; i++) {
        start_background_job();
    }
    printf("careless-init: started %d background jobs, and will never reap them\n", JOBS);
    fflush(stdout);
    /* The default action of SIGCHLD is to do nothing: pause() does not even wake up when an
     * orphan ends, and nothing here calls wait(2) for it. */
    for (;;) {
        pause();
    }
}
