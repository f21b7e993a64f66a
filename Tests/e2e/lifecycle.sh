# The lifecycle-under-load part of the real-systemd e2e test, sourced by Tests/e2e/inside.sh
# (it uses that script's helpers: pass, fail, info, expect, prop, wait_for, state_is, journal,
# now_us). While Tests/e2e/load.py keeps constant load on nginx (the deploy snippet, its
# keep-alive upstream), the scenario goes through these phases, each marked in $phases with
# its start time and the size of nginx's error log then:
#   steady        5 s of load alone;
#   restart       10 x systemctl restart;
#   reload        10 x systemctl reload (each re-executes the binary: a new MainPID);
#   upgrade       a different binary installed over ExecStart (a new inode), then a reload;
#   upgrade-fail  a binary that exits 78 installed, then a reload: the old process serves on;
#   watchdog      SIGSTOP of the main process until systemd's watchdog restarts it;
#   recovered     3 s of load after that restart.
# Tests/e2e/report.py then judges the requests of each phase and nginx's log. Bounded: every
# command has a timeout, every loop a count, the load client its own time limit.

lc=$work/lifecycle
mkdir -p "$lc"
phases=$lc/phases
nginx_error_log=/var/log/nginx/error.log
load_connections=8
mark() { echo "$1 $(now_us) $(stat -c %s $nginx_error_log)" >>"$phases"; }
# reexecuted OLD_PID: the service is active under a new main process.
reexecuted() {
    local now
    now=$(prop $service MainPID)
    [ "$now" != 0 ] && [ "$now" != "$1" ] && state_is $service active &&
        [ "$(prop $service SubState)" = running ]
}
gone() { ! kill -0 "$1" 2>/dev/null; }
bin=/e2e/bin/asset-sidecar

timeout 30 systemctl start $service
timeout 250 python3 /e2e/load.py --root /srv/assets --records "$lc/records.tsv" \
    --ready-file "$lc/ready" --stop-file "$lc/stop" --slow-flag "$lc/slow" \
    --connections $load_connections \
    --rate 300 --slow 8 --max-seconds 200 >"$lc/load.out" 2>&1 &
load_pid=$!
load_ready() { [ -e "$lc/ready" ]; }
if ! wait_for 20 load_ready; then
    fail "lifecycle load: load.py started" "$(head -c 300 "$lc/load.out")"
fi

mark steady
sleep 5

mark restart
restart_ms=()
for ((n = 1; n <= 10; n++)); do
    t0=$(now_us)
    timeout 30 systemctl restart $service || fail "lifecycle: systemctl restart $n"
    restart_ms+=($((($(now_us) - t0) / 1000)))
    sleep 1
done
info "systemctl restart took (ms): ${restart_ms[*]}"

mark reload
reexecs=0
for ((n = 1; n <= 10; n++)); do
    old=$(prop $service MainPID)
    timeout 30 systemctl reload $service || fail "lifecycle: systemctl reload $n"
    # Only the first reload waits long for a new process: one that never comes fails once.
    if wait_for $((n == 1 || reexecs > 0 ? 10 : 1)) reexecuted "$old"; then
        reexecs=$((reexecs + 1))
    fi
    sleep 1
done
expect "lifecycle: each of 10 reloads re-executed the binary (a new MainPID, running)" \
    "$reexecs" 10

# The upgrade comes while the slow download is under way (it began at least 0.5 s ago).
slow_under_way() {
    local began
    began=$(cat "$lc/slow" 2>/dev/null) || return 1
    [ -n "$began" ] && [ $(($(now_us) - began)) -ge 500000 ]
}
wait_for 10 slow_under_way || info "(no slow download under way before the upgrade)"
mark upgrade
old=$(prop $service MainPID)
# A different file at the ExecStart path: a copy with bytes appended (a new inode, other content).
cp "$bin" "$bin.new" && printf '\n# e2e upgrade\n' >>"$bin.new" && chmod 755 "$bin.new"
mv -f "$bin.new" "$bin"
inode=$(stat -c %i "$bin")
t0=$(now_us)
timeout 30 systemctl reload $service || fail "lifecycle: systemctl reload (upgrade)"
if wait_for 10 reexecuted "$old"; then
    new=$(prop $service MainPID)
    pass "upgrade: a new main process $new replaces $old ($((($(now_us) - t0) / 1000)) ms)"
    expect "upgrade: the new process runs the installed binary (inode)" \
        "$(stat -L -c %i /proc/"$new"/exe 2>&1)" "$inode"
else
    fail "upgrade: a new main process replaces $old" \
        "MainPID $(prop $service MainPID), $(prop $service ActiveState)/$(prop $service SubState)"
fi
# The old process finishes its responses (the slow download among them), then exits.
if wait_for 15 gone "$old"; then
    pass "upgrade: the old process drained and exited ($((($(now_us) - t0) / 1000)) ms after the reload)"
else
    fail "upgrade: the old process drained and exited" "pid $old still there after 15 s"
fi
sleep 2

mark upgrade-fail
old=$(prop $service MainPID)
restarts=$(prop $service NRestarts)
mv -f "$bin" "$bin.good"
printf '#!/bin/sh\nexit 78\n' >"$bin"
chmod 755 "$bin"
since=$(date -u '+%Y-%m-%d %H:%M:%S')
timeout 30 systemctl reload $service || fail "lifecycle: systemctl reload (failed upgrade)"
upgrade_error() { journal -u $service --since "$since" | grep -q 'upgrade failed'; }
if wait_for 15 upgrade_error; then
    pass "failed upgrade: an error line in the journal"
    info "$(journal -u $service --since "$since" | grep -m1 'upgrade failed')"
else
    fail "failed upgrade: an error line in the journal" "no 'upgrade failed' in 15 s"
fi
serving_on() { [ "$(prop $service MainPID)" = "$1" ] && [ "$(prop $service SubState)" = running ]; }
if wait_for 5 serving_on "$old"; then
    pass "failed upgrade: the old process serves on (MainPID $old, running)"
else
    fail "failed upgrade: the old process serves on" \
        "MainPID $(prop $service MainPID) (was $old), $(prop $service SubState)"
fi
expect "failed upgrade: no restart" "$(prop $service NRestarts)" "$restarts"
mv -f "$bin.good" "$bin"
sleep 2

mark watchdog
pid=$(prop $service MainPID)
restarts=$(prop $service NRestarts)
[ "${pid:-0}" -gt 1 ] && kill -STOP "$pid"
watchdog_restarted() {
    [ "$(prop $service NRestarts)" -gt "$restarts" ] && reexecuted "$pid"
}
if wait_for 20 watchdog_restarted; then
    pass "lifecycle: the watchdog restarted the frozen process under load"
else
    fail "lifecycle: the watchdog restarted the frozen process under load" \
        "NRestarts $(prop $service NRestarts), MainPID $(prop $service MainPID)"
    [ "${pid:-0}" -gt 1 ] && kill -CONT "$pid" 2>/dev/null
fi
mark recovered
sleep 3
mark end

touch "$lc/stop"
wait "$load_pid"
load_rc=$?
expect "lifecycle load: load.py finished by itself ($(tail -n 1 "$lc/load.out"))" "$load_rc" 0
if [ -s "$lc/records.tsv" ]; then
    timeout 60 python3 /e2e/report.py "$lc/records.tsv" "$phases" $nginx_error_log \
        $((load_connections + 1)) >>"$result" 2>&1 ||
        fail "lifecycle load: report.py" "exit $?"
else
    fail "lifecycle load: records written" "$(tail -n 5 "$lc/load.out" | tr '\n' ' ')"
fi
cp "$lc/records.tsv" "$phases" "$out/" 2>/dev/null
