#!/usr/bin/env bash
# Checks that every section of the behaviour contract cited in the tree is a heading of
# docs/behaviour.md, so a citation always leads to the rule it names.
#
#   scripts/check-citations.sh            # the repository this script is in
#   scripts/check-citations.sh DIR        # another checkout
#   scripts/check-citations.sh --list     # also print every citation checked (file:line: §N)
#   scripts/check-citations.sh --self-test
#
# What counts as a citation, line by line (files outside docs/ and .build*; this script and
# binary files are skipped):
#   - a section sign written after the word "SPEC", "spec" (the conformance rows' `spec:`
#     label) or "behaviour" (either spelling, so the rename from "SPEC" to "behaviour" needs no
#     change here), together with every further section sign on that line up to the next
#     "RFC NNNN": "behaviour §2.2, §5.2", "behaviour §5.1–§5.2", `spec: "§5.3"`;
#   - a section sign written after "RFC NNNN" belongs to that RFC and is not checked;
#   - a bare section sign on a line that names neither (a comment `// §3.2: hidden names`, a
#     README table cell) is checked when it looks like a contract section: at most one dot, and
#     its first number a chapter of docs/behaviour.md. Deeper numbers (RFC clauses such as
#     §13.1.5 or §8.4.1.3 quoted without their RFC) are left alone.
# A range "§A–§B" (or "§A-B") checks both ends. Headings are markdown lines "## 5. Title" or
# "### 5.1 Title". Exit status 0 only when every citation resolves and at least one was found.
set -euo pipefail

scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-citations.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

here=$(cd "$(dirname "$0")" && pwd)
self=$here/$(basename "$0")

list=0
repo=
for argument in "$@"; do
    case $argument in
        --list) list=1 ;;
        --self-test) repo=--self-test ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$self" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) repo=$argument ;;
    esac
done

# The extraction and the check, for the tree at $1; prints the verdict, returns non-zero when
# a citation is unresolved or none was found.
check_tree() {
    local tree=$1 contract=$1/docs/behaviour.md
    if [ ! -f "$contract" ]; then
        echo "check-citations: $contract is missing"
        echo "0 citations resolved, 1 unresolved"
        return 1
    fi
    local files=$scratch/files
    if git -C "$tree" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$tree" && timeout 60 git ls-files -z --cached --others --exclude-standard)
    else
        (cd "$tree" && timeout 60 find . -type f -print0 | sed -z 's|^\./||')
    fi | LC_ALL=C timeout 60 grep -zvE \
        '^(docs/|\.build[^/]*/|\.git/)|^scripts/check-citations\.sh$' >"$files" || true
    (cd "$tree" && LC_ALL=C timeout 120 perl -e '
        use strict;
        use warnings;
        my ($contract, $list, $listfile) = @ARGV;
        # Bytes, not characters: some test files hold invalid UTF-8 on purpose.
        my $section = "\xC2\xA7";
        my $dash = "(?:\xE2\x80\x93|-)";
        my (%heading, %chapter);
        open(my $doc, "<:raw", $contract) or die "cannot read $contract: $!\n";
        while (<$doc>) {
            next unless /^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/;
            $heading{$1} = 1;
            $chapter{$1} = 1 unless $1 =~ /\./;
        }
        close $doc;
        die "check-citations: no numbered heading in $contract\n" unless %heading;

        open(my $names, "<", $listfile) or die "cannot read $listfile: $!\n";
        local $/ = "\0";
        my @files = map { chomp; $_ } <$names>;
        close $names;
        $/ = "\n";

        my ($resolved, $unresolved) = (0, 0);
        my %missing;
        for my $file (@files) {
            next if -l $file || !-f $file || -B $file;
            open(my $in, "<:raw", $file) or next;
            while (my $line = <$in>) {
                next unless index($line, $section) >= 0;
                my $owner = "";
                while ($line =~ m{
                    \b(SPEC|spec|[Bb]ehaviour)\b            # $1: the contract is cited
                    | \b(RFC)\s*\d+                         # $2: an RFC is cited
                    | $section(\d+(?:\.\d+)*)              # $3: a section number
                      (?: \s*$dash\s*$section(\d+(?:\.\d+)*) # $4: the end of "A–§B"
                        | $dash(\d+(?:\.\d+)*) )?           # $5: the end of "A-B"
                }gx) {
                    if (defined $1) { $owner = "contract"; next; }
                    if (defined $2) { $owner = "rfc"; next; }
                    next if $owner eq "rfc";
                    for my $number (grep { defined } ($3, $4, $5)) {
                        if ($owner ne "contract") {
                            my ($top) = split /\./, $number;
                            next if ($number =~ tr/.//) > 1 || !$chapter{$top};
                        }
                        print "$file:$.: $section$number\n" if $list;
                        if ($heading{$number}) {
                            $resolved++;
                        } else {
                            $unresolved++;
                            push @{ $missing{$number} }, "$file:$.";
                        }
                    }
                }
            }
            close $in;
        }
        for my $number (sort keys %missing) {
            print "unresolved $section$number (no heading in $contract), cited at:\n";
            print "    $_\n" for @{ $missing{$number} };
        }
        print "check-citations: no citation found: the extraction is broken\n"
            if $resolved + $unresolved == 0;
        print "$resolved citations resolved, $unresolved unresolved\n";
        exit($unresolved == 0 && $resolved > 0 ? 0 : 1);
    ' "$contract" "$list" "$files")
}

# Runs the check on a small made-up tree whose answer is known: it must find exactly the one
# unresolved citation planted there, and pass once that heading exists.
self_test() {
    local work=$scratch/tree passed=0 failed=0
    mkdir -p "$work/docs/more" "$work/src"
    printf '# Contract\n## 1. Process\n### 1.1 Sockets\n## 2. Requests\n### 2.3 Targets\n' \
        >"$work/docs/behaviour.md"
    cat >"$work/src/a.swift" <<'EOF'
/// behaviour §1.1, §2.3: two citations after SPEC.
/// behaviour §1.1–§2.3 and RFC 9110 §13.2.2, §14.1.1 (RFC clauses are not checked).
/// RFC 9112 §6.3 then behaviour §1 again.
let row = (spec: "§2.3", rfc: "RFC 9110 §7.2")
// §8.4.1.3 and §14.2 quoted bare are RFC clauses: no chapter 8 or 14, or too deep.
/// behaviour §1-1.1 is a short range; in behaviour §2.3 -0 dropped, "-0" is not one.
/// behaviour §2.4: planted, has no heading.
EOF
    printf 'A docs file citing behaviour §9.9 is not checked.\n' >"$work/docs/more/x.md"
    if expect_verdict "the planted citation is found" fail '9 citations resolved, 1 unresolved' \
        "unresolved §2.4 (no heading in $work/docs/behaviour.md), cited at:" '    src/a.swift:7'
    then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    printf '### 2.4 Bodies\n' >>"$work/docs/behaviour.md"
    if expect_verdict "all resolve once the heading exists" pass '10 citations resolved, 0 unresolved'
    then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    printf '# Contract\n' >"$work/docs/behaviour.md"
    if expect_verdict "a contract without numbered headings fails" fail; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# expect_verdict NAME pass|fail LINE...: runs the check on the self-test tree; true when it
# passes or fails as wanted and prints every LINE exactly.
expect_verdict() {
    local name=$1 want=$2 got=pass output line
    shift 2
    output=$(check_tree "$scratch/tree" 2>&1) || got=fail
    if [ "$got" != "$want" ]; then
        printf 'self-test: %s: the check should %s; output:\n%s\n' "$name" "$want" "$output" >&2
        return 1
    fi
    for line in "$@"; do
        grep -qxF -- "$line" <<<"$output" && continue
        printf 'self-test: %s: no line "%s"; output:\n%s\n' "$name" "$line" "$output" >&2
        return 1
    done
}

if [ "$repo" = --self-test ]; then
    self_test
    exit
fi
check_tree "${repo:-$(cd "$here/.." && pwd)}"
