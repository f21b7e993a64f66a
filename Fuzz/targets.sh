# shellcheck shell=bash
# Sourced by Fuzz/build.sh, Fuzz/run.sh and Fuzz/campaign.sh: which fuzz targets there are, and
# what each one starts from.

# Prints the fuzz targets of the repository at $1: every folder of Fuzz/ with a main.swift.
fuzz_targets() {
    local entry
    for entry in "$1"/Fuzz/*/main.swift; do
        basename "$(dirname "$entry")"
    done
}

# Prints the seed folders of target $2 in the repository at $1, one a line: its own corpus,
# and for the differential target also the parser's, whose heads it compares.
fuzz_seeds() {
    echo "$1/Fuzz/corpus/$2"
    if [ "$2" = Differential ]; then
        echo "$1/Fuzz/corpus/RequestParser"
    fi
}

# Prints the execution count of Fuzz/run.sh's execution-bounded run of target $1: about a minute of
# each at the rates CI saw (December 2026, 2 cores, AddressSanitizer), from 21,500/s for
# Negotiation to 650,000/s for HTTPDate.
fuzz_executions() {
    case $1 in
        ByteRanges) echo 15000000 ;;
        Differential) echo 2500000 ;;
        HTTPDate) echo 36000000 ;;
        Negotiation) echo 1300000 ;;
        RequestParser) echo 4500000 ;;
        RequestTarget) echo 3500000 ;;
        *) echo 1000000 ;;
    esac
}

# Prints the dictionary of target $2 in the repository at $1, if it has one; the differential
# target reads request heads, as the parser's does.
fuzz_dictionary() {
    local name=$2
    if [ "$name" = Differential ]; then
        name=RequestParser
    fi
    if [ -f "$1/Fuzz/dict/$name.dict" ]; then
        echo "$1/Fuzz/dict/$name.dict"
    fi
}

# Prints, one a line, the libFuzzer options of every run of target $2 in the repository at $1:
# limits, final statistics, where a crashing input goes (prefix $3), and the dictionary.
fuzz_options() {
    printf '%s\n' -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$3"
    local dictionary
    dictionary=$(fuzz_dictionary "$1" "$2")
    if [ -n "$dictionary" ]; then
        echo "-dict=$dictionary"
    fi
}

# Prints the statistic $2 (`stat::$2` of -print_final_stats=1) of the libFuzzer log $1, or `?`.
fuzz_stat() {
    local value
    value=$(sed -n "s/^stat::$2: *//p" "$1" | tail -n 1)
    echo "${value:-?}"
}

# Prints `ok` for exit status $1 0, the failure otherwise; for a failure also prints the end of
# the libFuzzer log $2 (without its progress lines) to stderr.
fuzz_outcome() {
    if [ "$1" = 0 ]; then
        echo ok
        return
    fi
    echo "FAILED (exit $1)"
    grep -v '^#[0-9]' "$2" | tail -n 40 >&2
}
