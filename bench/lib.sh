# Helpers shared by the bench scripts: wall-clock milliseconds of a command and the median of a
# column of numbers. Sourced, not run.

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs a command with its output discarded and prints how long it took, in milliseconds.
time_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}
