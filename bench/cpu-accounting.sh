#!/usr/bin/env bash
# Where a load's CPU goes: runs pg-fullload once (as submit-scripts/run-local.sh starts it) and samples
# every PostgreSQL process of the local server from /proc while it runs, then prints the JVM's own CPU,
# the machine's busy time and the server's CPU by kind of process. Run it on the server's machine, after
# bench/run.sh has written target/bench/pg-fullload.conf (it loads what that file names, into bench_dst).
#
#   bench/cpu-accounting.sh [--config FILE] [--host H] [--port P] [--user U]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$root/target/bench/pg-fullload.conf"
host=127.0.0.1
port=5432
user=postgres
while [ "$#" -gt 0 ]; do
    case "$1" in
        --config) config="$2"; shift 2 ;;
        --host) host="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --user) user="$2"; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "bench/cpu-accounting.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -f "$config" ] || { echo "bench/cpu-accounting.sh: $config is missing: run bench/run.sh first" >&2; exit 2; }
work="$root/target/bench"
psql -h "$host" -p "$port" -U "$user" -q -X -d postgres -c "DROP DATABASE IF EXISTS bench_dst" -c "CREATE DATABASE bench_dst"

ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }
# /proc/stat's cpu line: user nice system idle iowait irq softirq steal. Waiting for I/O is idle time.
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
iowait() { awk '/^cpu /{print $6}' /proc/stat; }
declare -A start last kind
for pid in $(pgrep -u postgres || true); do start[$pid]=$(ticks "$pid" || echo 0); done
machine_before=$(busy)
iowait_before=$(iowait)
began=$(date +%s%N)
PGFULLLOAD_NO_BUILD=1 JAVA_OPTS="${JAVA_OPTS:--Xmx1g}" /usr/bin/time -f "%U %S %e %M" -o "$work/accounting-time.txt" \
    "$root/submit-scripts/run-local.sh" --config "$config" > "$work/accounting.log" 2>&1 &
job=$!
while kill -0 "$job" 2>/dev/null; do
    for pid in $(pgrep -u postgres || true); do
        value=$(ticks "$pid") || continue
        [ -n "$value" ] || continue
        last[$pid]=$value
        # "postgres: 15/main: user database host(port) STATE", or a background process's name.
        title=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | sed -E 's/^postgres: [^:]*: //; s/ +$//') || continue
        case "$title" in
            *bench_src*) kind[$pid]="source sessions (COPY out, planning, validation)" ;;
            *bench_dst*) kind[$pid]="target sessions (COPY in, keys, validation, control)" ;;
            "parallel worker"*) kind[$pid]="parallel workers (key build, counts)" ;;
            "") ;;
            *) kind[$pid]="$title" ;;
        esac
    done
    sleep 0.2
done
wait "$job" || { tail -20 "$work/accounting.log" >&2; exit 1; }
ended=$(date +%s%N)
machine_after=$(busy)
iowait_after=$(iowait)
hz=$(getconf CLK_TCK)
read -r user_s system_s wall_s rss_kb < "$work/accounting-time.txt"
echo "pg-fullload: ${wall_s} s wall, JVM ${user_s} s user + ${system_s} s system CPU, peak $((rss_kb / 1024)) MB"
awk -v busy=$((machine_after - machine_before)) -v waiting=$((iowait_after - iowait_before)) -v hz="$hz" \
    -v ns=$((ended - began)) -v cores="$(nproc)" \
    'BEGIN { printf "machine: %.1f of %.1f core-seconds busy, %.1f idle waiting for I/O\n", busy / hz, ns * cores / 1e9, waiting / hz }'
for pid in "${!last[@]}"; do
    echo "$(( ${last[$pid]} - ${start[$pid]:-0} ))|${kind[$pid]:-other}"
done | awk -F'|' -v hz="$hz" '{ s[$2] += $1 } END { for (k in s) if (s[k] > 0) printf "  %7.2f CPU-s  %s\n", s[k] / hz, k }' | sort -rn
grep -E "Loaded|PRIMARY KEY|SUCCEEDED|FAILED" "$work/accounting.log" | sed -E 's/^[0-9:.]+ INFO  //' | cut -c1-160
