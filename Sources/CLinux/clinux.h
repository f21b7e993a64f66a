/* Linux calls Swift's Glibc module does not offer, as static inline wrappers: epoll (whose
   event struct is packed on x86_64, so events are read through accessors), accept4 with the
   nonblocking and close-on-exec flags, eventfd, and openat2 (glibc has no wrapper and
   syscall(2) is variadic). This is the only C in the project. */
#ifndef CLINUX_H
#define CLINUX_H

/* No _GNU_SOURCE here: every C module must see libc with the same feature macros as Swift's
   Glibc module, or clang rejects their differing definitions (fd_set). GNU-only calls are
   reached through syscall(2) or their non-GNU equivalents instead. */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/prctl.h>

#ifndef SYS_openat2
#define SYS_openat2 437
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

/** Names the calling thread (at most 15 bytes are kept). */
static inline int clinux_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

#endif
