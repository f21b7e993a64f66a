#!/usr/bin/perl
# The sandbox probe of the real-systemd end-to-end test (Tests/e2e/run.sh). It runs as
# e2e-probe.service: the [Service] section of deploy/asset-sidecar.service with this script
# as ExecStart, so it sees what the sidecar sees. Prints KEY=ok or KEY=errnoN, one per line.
# perl-base only (Socket, POSIX): present on every Debian system.
use strict;
use warnings;
use POSIX ();
use Socket qw(AF_INET AF_INET6 AF_UNIX SOCK_STREAM SOCK_RAW);

sub try_socket {
    my ($name, $family, $type) = @_;
    if (socket(my $s, $family, $type, 0)) {
        print "$name=ok\n";
        close $s;
    } else {
        printf "%s=errno%d\n", $name, $! + 0;
    }
}
try_socket("AF_INET", AF_INET, SOCK_STREAM);
try_socket("AF_INET6", AF_INET6, SOCK_STREAM);
try_socket("AF_UNIX", AF_UNIX, SOCK_STREAM);
try_socket("AF_NETLINK", 16, SOCK_RAW);

# openat2(2) (syscall 437 on x86_64 and arm64), which the sidecar needs for RESOLVE_BENEATH:
# systemd's RestrictSUIDSGID=yes blocks it outright with ENOSYS.
{
    my ($how, $path) = (pack("QQQ", 0, 0, 0), "/");
    my $fd = syscall(437, -100, $path, $how, 24);
    if ($fd >= 0) { print "openat2=ok\n"; POSIX::close($fd); } else { printf "openat2=errno%d\n", $! + 0; }
}

for my $dir ("/srv/assets", "/usr", "/etc", "/e2e", "/tmp") {
    my $path = "$dir/.e2e-probe-write";
    if (open(my $f, ">", $path)) {
        print "write:$dir=ok\n";
        close $f;
        unlink $path;
    } else {
        printf "write:%s=errno%d\n", $dir, $! + 0;
    }
}

my $root_entries = 0;
if (opendir(my $d, "/root")) {
    $root_entries = grep { $_ ne "." && $_ ne ".." } readdir $d;
}
print "root-entries=$root_entries\n";

opendir(my $proc, "/proc") or die "opendir /proc: $!";
my @pids = grep { /^\d+$/ } readdir $proc;
print "procs=" . scalar(@pids) . "\n";
print "uid=$<\n";
