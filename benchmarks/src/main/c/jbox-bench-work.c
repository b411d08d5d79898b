/*
 * jbox-bench-work: the workloads of the overhead comparison (benchmarks/README.md, after
 * Felter et al., ISPASS 2015). The same static binary runs natively, in a jbox container and in
 * the VM guest, and times itself with CLOCK_MONOTONIC, so start-up and the way it was launched
 * are not part of any number: only the work is.
 *
 *   jbox-bench-work [--dir DIR] NAME=AMOUNT...
 *
 *   cpu-fp=K      K products of two 256x256 double matrices (floating point; work in MFLOP)
 *   cpu-int=M     CRC-32, bit by bit through a table, over M MiB (integer; work in MiB)
 *   mem-copy=K    K copies of a 64 MiB array into another (STREAM's Copy; work in MiB moved, read + write)
 *   fork-exec=N   N times fork, exec /bin/busybox as `true`, wait (the syscall-heavy path of a shell)
 *   seq-write=M   write M MiB to DIR/jbox-bench-io in 1 MiB blocks, O_DIRECT, then fsync
 *   seq-read=M    read M MiB of that file in 1 MiB blocks, O_DIRECT
 *   rand-read=N   N reads of 4 KiB at random aligned offsets in that file, O_DIRECT
 *
 * Output, one line per workload: "jbox-bench-work NAME WORK UNIT SECONDS". O_DIRECT bypasses the
 * page cache, so the file numbers are the storage path's (file system, block layer, device), as
 * fio's direct=1 in the paper; the file must be written (seq-write) before it is read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)
#define MATRIX 256
#define COPY_BYTES (64 * MIB)
#define IO_BLOCK MIB
#define RANDOM_BLOCK 4096
#define BUSYBOX "/bin/busybox"

static const char *dir = ".";
static char io_file[4096];

static void die(const char *what) {
    fprintf(stderr, "jbox-bench-work: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *aligned(size_t bytes) {
    void *p;
    if (posix_memalign(&p, 4096, bytes) != 0) {
        errno = ENOMEM;
        die("posix_memalign");
    }
    memset(p, 1, bytes); /* fault every page in now, not while timing */
    return p;
}

static void result(const char *name, double work, const char *unit, double seconds) {
    printf("jbox-bench-work %s %.3f %s %.6f\n", name, work, unit, seconds);
    fflush(stdout);
}

/* Keeps the compiler from removing work whose result is otherwise unused. */
static volatile double sink;

static void cpu_fp(long products) {
    static double a[MATRIX][MATRIX], b[MATRIX][MATRIX], c[MATRIX][MATRIX];
    for (int i = 0; i < MATRIX; i++) {
        for (int j = 0; j < MATRIX; j++) {
            a[i][j] = (i + j) % 7 * 0.5;
            b[i][j] = (i * j) % 5 * 0.25;
        }
    }
    double start = now();
    for (long k = 0; k < products; k++) {
        memset(c, 0, sizeof c);
        for (int i = 0; i < MATRIX; i++) {
            for (int p = 0; p < MATRIX; p++) {
                double x = a[i][p];
                for (int j = 0; j < MATRIX; j++) {
                    c[i][j] += x * b[p][j];
                }
            }
        }
        a[k % MATRIX][0] = c[MATRIX - 1][MATRIX - 1] * 1e-9;
    }
    double seconds = now() - start;
    sink = c[0][0];
    result("cpu-fp", products * 2.0 * MATRIX * MATRIX * MATRIX / 1e6, "MFLOP", seconds);
}

static void cpu_int(long mib) {
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        table[i] = c;
    }
    unsigned char *buffer = aligned(MIB);
    for (long i = 0; i < MIB; i++) {
        buffer[i] = (unsigned char) (i * 2654435761u >> 24);
    }
    uint32_t crc = 0xFFFFFFFFu;
    double start = now();
    for (long m = 0; m < mib; m++) {
        for (long i = 0; i < MIB; i++) {
            crc = table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
        }
    }
    double seconds = now() - start;
    sink = crc;
    free(buffer);
    result("cpu-int", mib, "MiB", seconds);
}

static void mem_copy(long copies) {
    long n = COPY_BYTES / sizeof(double);
    double *from = aligned(COPY_BYTES), *to = aligned(COPY_BYTES);
    double start = now();
    for (long k = 0; k < copies; k++) {
        from[k % n] = k;
        for (long i = 0; i < n; i++) {
            to[i] = from[i];
        }
    }
    double seconds = now() - start;
    sink = to[n - 1];
    free(from);
    free(to);
    result("mem-copy", copies * 2.0 * COPY_BYTES / MIB, "MiB", seconds);
}

static void fork_exec(long times) {
    double start = now();
    for (long i = 0; i < times; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            die("fork");
        }
        if (pid == 0) {
            execl(BUSYBOX, "true", (char *) NULL);
            _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0) {
            die("waitpid");
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "jbox-bench-work: %s as true failed (status %d)\n", BUSYBOX, status);
            exit(1);
        }
    }
    result("fork-exec", times, "ops", now() - start);
}

static int open_direct(int flags) {
    int fd = open(io_file, flags | O_DIRECT | O_CLOEXEC, 0644);
    if (fd < 0) {
        die(io_file);
    }
    return fd;
}

static void seq_write(long mib) {
    char *block = aligned(IO_BLOCK);
    int fd = open_direct(O_WRONLY | O_CREAT | O_TRUNC);
    double start = now();
    for (long m = 0; m < mib; m++) {
        block[0] = (char) m;
        if (write(fd, block, IO_BLOCK) != IO_BLOCK) {
            die("write");
        }
    }
    if (fsync(fd) != 0) {
        die("fsync");
    }
    double seconds = now() - start;
    close(fd);
    free(block);
    result("seq-write", mib, "MiB", seconds);
}

static long file_blocks(int fd, long block) {
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("fstat");
    }
    return st.st_size / block;
}

static void seq_read(long mib) {
    char *block = aligned(IO_BLOCK);
    int fd = open_direct(O_RDONLY);
    if (file_blocks(fd, IO_BLOCK) < mib) {
        fprintf(stderr, "jbox-bench-work: %s holds less than %ld MiB; run seq-write=%ld first\n", io_file, mib, mib);
        exit(1);
    }
    double start = now();
    for (long m = 0; m < mib; m++) {
        if (read(fd, block, IO_BLOCK) != IO_BLOCK) {
            die("read");
        }
    }
    double seconds = now() - start;
    close(fd);
    free(block);
    result("seq-read", mib, "MiB", seconds);
}

static void rand_read(long reads) {
    char *block = aligned(RANDOM_BLOCK);
    int fd = open_direct(O_RDONLY);
    long blocks = file_blocks(fd, RANDOM_BLOCK);
    if (blocks < 1) {
        fprintf(stderr, "jbox-bench-work: %s is empty; run seq-write first\n", io_file);
        exit(1);
    }
    uint64_t x = 88172645463325252ull; /* xorshift64: the same offsets in every environment */
    double start = now();
    for (long i = 0; i < reads; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (pread(fd, block, RANDOM_BLOCK, (off_t) (x % blocks) * RANDOM_BLOCK) != RANDOM_BLOCK) {
            die("pread");
        }
    }
    double seconds = now() - start;
    close(fd);
    free(block);
    result("rand-read", reads, "ops", seconds);
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        void (*run)(long);
    } workloads[] = {
        {"cpu-fp", cpu_fp}, {"cpu-int", cpu_int}, {"mem-copy", mem_copy}, {"fork-exec", fork_exec},
        {"seq-write", seq_write}, {"seq-read", seq_read}, {"rand-read", rand_read},
    };
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--dir") == 0) {
        dir = argv[2];
        first = 3;
    }
    snprintf(io_file, sizeof io_file, "%s/jbox-bench-io", dir);
    if (first >= argc) {
        fprintf(stderr, "usage: jbox-bench-work [--dir DIR] NAME=AMOUNT... (see the source for the names)\n");
        return 2;
    }
    for (int i = first; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        long amount = eq ? strtol(eq + 1, NULL, 10) : 0;
        size_t len = eq ? (size_t) (eq - argv[i]) : strlen(argv[i]);
        int found = 0;
        for (size_t w = 0; w < sizeof workloads / sizeof workloads[0]; w++) {
            if (strlen(workloads[w].name) == len && strncmp(argv[i], workloads[w].name, len) == 0) {
                if (amount < 1) {
                    fprintf(stderr, "jbox-bench-work: %s needs a positive amount, e.g. %s=10\n", argv[i], workloads[w].name);
                    return 2;
                }
                workloads[w].run(amount);
                found = 1;
            }
        }
        if (!found) {
            fprintf(stderr, "jbox-bench-work: unknown workload '%s'\n", argv[i]);
            return 2;
        }
    }
    return 0;
}
