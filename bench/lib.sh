# shellcheck shell=bash
# Helpers shared by the bench scripts: the binary they measure, wall-clock milliseconds of a
# command and the median of a column of numbers. Sourced, not run.

# Builds the release binary the way it is shipped, with the Swift runtime and Foundation linked
# in (one file that needs only libcmark and libmimalloc on the host; it also starts in 4 ms
# instead of 8), and sets `bin` to it.
build_release() {
    swift build -c release --static-swift-stdlib --product runbook >&2
    # shellcheck disable=SC2034 # read by the script that sources this file
    bin=.build/release/runbook
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs a command with its output discarded and prints how long it took, in milliseconds.
time_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}
