#!/usr/bin/env bash
# Whole-process timings for issue 24, interleaved: for each case, BEFORE then AFTER (then the
# libpng yardstick for `--only after`), five rounds; prints every run and each one's best.
#
#     Benchmarks/Scripts/measure-process.sh BEFORE_SMP AFTER_SMP [SCENE] [CASES]
#
# CASES (default "after after-1 report classic wall"): after = `--only after` on 2 threads;
# after-1 = the same on one core (`taskset -c 0 --threads 1`); report = `--only report` (the
# set-up alone); classic = the nine classic outputs; wall = after.png at 55.4017 px/mm
# (20000 pixels wide). Outputs go to a temporary folder, removed at the end.
set -euo pipefail
before=$1 after=$2 scene=${3:-Scenes/demo.yaml}
cases=${4:-after after-1 report classic wall}
rounds=${ROUNDS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
yardstick="$work/libpng-level1"
gcc -O2 -o "$yardstick" "$(dirname "$0")/libpng-level1.c" -lpng -lz

arguments() {
    case $1 in
    after) echo "--only after --threads 2" ;;
    after-1) echo "--only after --threads 1" ;;
    report) echo "--only report --threads 2" ;;
    classic) echo "--only before,after,session-1,session-2,session-3,comparison,density,dots,report --threads 2" ;;
    wall) echo "--only after --threads 2 --px-per-mm 55.4017 --max-pixels 300000000" ;;
    esac
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for case in $cases; do
    pin=""
    [ "$case" = after-1 ] && pin="taskset -c 0"
    declare -A best=()
    for round in $(seq "$rounds"); do
        for side in before after; do
            binary=$before
            [ $side = after ] && binary=$after
            rm -rf "$work/out"
            # shellcheck disable=SC2046
            /usr/bin/time -o "$work/time" -f "%e %U %S %M" $pin "$binary" render "$scene" --out "$work/out" $(arguments "$case") >/dev/null 2>&1
            line=$(tail -1 "$work/time")
            bytes=$(find "$work/out" -name '*.png' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
            echo "$case $side round $round: wall cpu-user cpu-sys maxKB = $line, png bytes $bytes"
            wall=${line%% *}
            if [ -z "${best[$side]:-}" ] || awk "BEGIN{exit !($wall < ${best[$side]})}"; then best[$side]=$wall; fi
        done
        if [ "$case" = after ] || [ "$case" = after-1 ]; then
            seconds=$($pin "$yardstick" "$work/out/after.png" 1)
            echo "$case libpng level 1 round $round: $seconds"
            if [ -z "${best[libpng]:-}" ] || awk "BEGIN{exit !($seconds < ${best[libpng]})}"; then best[libpng]=$seconds; fi
        fi
    done
    echo "BEST $case: before ${best[before]} after ${best[after]} libpng ${best[libpng]:--}  (load $(cut -d' ' -f1 /proc/loadavg))"
    unset best
done
