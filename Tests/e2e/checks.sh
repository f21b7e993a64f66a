# Sourced by the scripts that run inside the e2e containers (Tests/e2e/inside.sh,
# Tests/e2e/package-inside.sh): one line per check in $result ("PASS name" or
# "FAIL name: why"), details indented below it. container.sh's e2e_boot puts it in /e2e.
# shellcheck shell=bash
pass() { echo "PASS $1" >>"$result"; }
fail() { echo "FAIL $1${2:+: $2}" >>"$result"; }
info() { echo "     $*" >>"$result"; }
# check NAME COMMAND...: PASS when the command succeeds.
check() {
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}
# expect NAME ACTUAL WANTED
expect() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
prop() { timeout 5 systemctl show -p "$2" --value "$1"; }
