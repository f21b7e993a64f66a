/* libsystemd's daemon API: socket activation (sd_listen_fds_with_names, sd_is_socket_unix),
   sd_notify and sd_watchdog_enabled. sd_notifyf is variadic, so Swift formats and calls sd_notify. */
#include <systemd/sd-daemon.h>
