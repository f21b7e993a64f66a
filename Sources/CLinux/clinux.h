/* Linux calls Swift's Glibc module does not offer, as static inline wrappers: epoll (whose
   event struct is packed on x86_64, so events are read through accessors), accept4 with the
   nonblocking and close-on-exec flags, eventfd, openat2 (glibc has no wrapper and syscall(2)
   is variadic), inotify and statfs, `environ`, and the fork-and-exec of the hot upgrade (whose
   child may make only async-signal-safe calls, which Swift code cannot promise). This is the
   only C in the project. */
#ifndef CLINUX_H
#define CLINUX_H

/* No _GNU_SOURCE here: every C module must see libc with the same feature macros as Swift's
   Glibc module, or clang rejects their differing definitions (fd_set). GNU-only calls are
   reached through syscall(2) or their non-GNU equivalents instead. */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/prctl.h>
#include <sys/inotify.h>
#include <sys/vfs.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

static const uint32_t CLINUX_EPOLLIN = EPOLLIN;
static const uint32_t CLINUX_EPOLLOUT = EPOLLOUT;
static const uint32_t CLINUX_EPOLLERR = EPOLLERR;
static const uint32_t CLINUX_EPOLLHUP = EPOLLHUP;
static const uint32_t CLINUX_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t CLINUX_EPOLLET = EPOLLET;
static const uint32_t CLINUX_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;

static const int CLINUX_O_PATH = __O_PATH;
static const int CLINUX_SOCK_STREAM = SOCK_STREAM;
static const int CLINUX_SOCK_NONBLOCK = SOCK_NONBLOCK;
static const int CLINUX_SOCK_CLOEXEC = SOCK_CLOEXEC;

static const uint64_t CLINUX_RESOLVE_BENEATH = RESOLVE_BENEATH;
static const uint64_t CLINUX_RESOLVE_NO_MAGICLINKS = RESOLVE_NO_MAGICLINKS;
static const uint64_t CLINUX_RESOLVE_NO_SYMLINKS = RESOLVE_NO_SYMLINKS;

/** The size of one kernel epoll_event, for sizing the buffer epoll_wait fills. */
static inline int clinux_epoll_event_size(void) { return (int)sizeof(struct epoll_event); }

static inline int clinux_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/** Registers (op EPOLL_CTL_ADD/MOD/DEL) `fd` for `events`, tagging its events with `token`. */
static inline int clinux_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = token;
    return epoll_ctl(epfd, op, fd, &ev);
}

static inline int clinux_epoll_add(int epfd, int fd, uint32_t events, uint64_t token) {
    return clinux_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, events, token);
}

static inline int clinux_epoll_mod(int epfd, int fd, uint32_t events, uint64_t token) {
    return clinux_epoll_ctl(epfd, EPOLL_CTL_MOD, fd, events, token);
}

static inline int clinux_epoll_del(int epfd, int fd) {
    return clinux_epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0, 0);
}

/** Waits into `buffer`, which holds `max` kernel epoll_event records. */
static inline int clinux_epoll_wait(int epfd, void *buffer, int max, int timeout_ms) {
    return epoll_wait(epfd, (struct epoll_event *)buffer, max, timeout_ms);
}

static inline uint32_t clinux_epoll_events_at(const void *buffer, int index) {
    return ((const struct epoll_event *)buffer)[index].events;
}

static inline uint64_t clinux_epoll_token_at(const void *buffer, int index) {
    return ((const struct epoll_event *)buffer)[index].data.u64;
}

/** accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; the peer address is not wanted. */
static inline int clinux_accept(int fd) {
    return (int)syscall(SYS_accept4, fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static inline int clinux_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/** openat2(2): opens `path` relative to `dirfd` under the `resolve` restrictions. */
static inline int clinux_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve) {
    struct open_how how = {0};
    how.flags = flags;
    how.mode = 0;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/** A nonblocking, close-on-exec inotify instance. */
static inline int clinux_inotify_init(void) { return inotify_init1(IN_NONBLOCK | IN_CLOEXEC); }

static inline int clinux_inotify_add_watch(int fd, const char *path, uint32_t mask) {
    return inotify_add_watch(fd, path, mask);
}

static inline int clinux_inotify_rm_watch(int fd, int wd) { return inotify_rm_watch(fd, wd); }

/** The `f_type` magic of the filesystem holding `fd` (`fstatfs`), or -1 with errno set. */
static inline long long clinux_filesystem_type(int fd) {
    struct statfs info;
    if (fstatfs(fd, &info) != 0) return -1;
    return (long long)info.f_type;
}

static const uint32_t CLINUX_IN_MODIFY = IN_MODIFY;
static const uint32_t CLINUX_IN_ATTRIB = IN_ATTRIB;
static const uint32_t CLINUX_IN_MOVED_FROM = IN_MOVED_FROM;
static const uint32_t CLINUX_IN_MOVED_TO = IN_MOVED_TO;
static const uint32_t CLINUX_IN_CREATE = IN_CREATE;
static const uint32_t CLINUX_IN_DELETE = IN_DELETE;
static const uint32_t CLINUX_IN_DELETE_SELF = IN_DELETE_SELF;
static const uint32_t CLINUX_IN_MOVE_SELF = IN_MOVE_SELF;
static const uint32_t CLINUX_IN_UNMOUNT = IN_UNMOUNT;
static const uint32_t CLINUX_IN_Q_OVERFLOW = IN_Q_OVERFLOW;
static const uint32_t CLINUX_IN_IGNORED = IN_IGNORED;
static const uint32_t CLINUX_IN_ONLYDIR = IN_ONLYDIR;
static const uint32_t CLINUX_IN_DONT_FOLLOW = IN_DONT_FOLLOW;

/** Names the calling thread (at most 15 bytes are kept). */
static inline int clinux_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/** The process's environment (`environ`, which Swift 6 cannot read as a C global). */
static inline char *const *clinux_environment(void) {
    extern char **environ;
    return environ;
}

/** Writes `value` in decimal at `out` and a NUL after it (async-signal-safe). */
static inline void clinux_put_decimal(char *out, long value) {
    char digits[24];
    int count = 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0 && count < 23);
    while (count > 0) *out++ = digits[--count];
    *out = '\0';
}

/** The most listening sockets clinux_spawn_inheriting hands over. */
#define CLINUX_SPAWN_MAX_FDS 64

/** Forks, and in the child executes `path` with `argv` and `envp`, handing over descriptors
    the LISTEN_FDS way (sd_listen_fds(3)). Between fork and exec the child makes only
    async-signal-safe calls: `fds[0..<count]` become descriptors 3, 4, ... without
    close-on-exec, `keep` becomes 3 + count, every other descriptor above 2 is closed, the
    signal mask is emptied and SIGPIPE's disposition reset, and the child's PID is written in
    decimal after the '=' of each of the `slot_count` strings in `pid_slots` (entries of
    `envp`, each with room for 20 digits after its '=', e.g. "LISTEN_PID="). Returns the
    child's PID, or -1 with errno set when fork fails; a child whose exec fails exits 127. */
static inline int clinux_spawn_inheriting(const char *path, char *const argv[],
                                          char *const envp[], const int *fds, int count,
                                          int keep, char *const pid_slots[], int slot_count) {
    if (count < 0 || count > CLINUX_SPAWN_MAX_FDS) {
        errno = EINVAL;
        return -1;
    }
    pid_t pid = fork();
    if (pid != 0) return (int)pid;
    /* The child. First out of the way (above every target), then into place: dup2 leaves the
       new descriptor without close-on-exec. */
    int base = 4 + count;
    int moved[CLINUX_SPAWN_MAX_FDS + 1];
    for (int i = 0; i < count; i++) {
        moved[i] = fcntl(fds[i], F_DUPFD, base);
        if (moved[i] < 0) _exit(127);
    }
    moved[count] = fcntl(keep, F_DUPFD, base);
    if (moved[count] < 0) _exit(127);
    for (int i = 0; i <= count; i++) {
        if (dup2(moved[i], 3 + i) < 0) _exit(127);
    }
    if (syscall(SYS_close_range, (unsigned)base, ~0U, 0) != 0) {
        struct rlimit limit;
        long top = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                       ? (long)limit.rlim_cur
                       : 65536;
        for (long fd = base; fd < top; fd++) close((int)fd);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction standard;
    standard.sa_handler = SIG_DFL;
    standard.sa_flags = 0;
    sigemptyset(&standard.sa_mask);
    sigaction(SIGPIPE, &standard, NULL);
    long self = (long)getpid();
    for (int i = 0; i < slot_count; i++) {
        char *equals = pid_slots[i];
        while (*equals != '\0' && *equals != '=') equals++;
        if (*equals == '=') clinux_put_decimal(equals + 1, self);
    }
    execve(path, argv, envp);
    _exit(127);
}

#endif
