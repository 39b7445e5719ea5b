#!/usr/bin/env bash
# What the server's sessions wait on during a load: runs pg-fullload once (as submit-scripts/run-local.sh
# starts it) while one server session samples pg_stat_activity every 5 ms, then prints, for the source's
# and the target's sessions and for each kind of statement, the share of samples on CPU and in each wait
# event. Run it after bench/run.sh has written target/bench/pg-fullload.conf (it loads what that file
# names, into bench_dst); the sampler keeps its samples in database postgres and drops them at the end.
#
#   bench/wait-events.sh [--config FILE] [--host H] [--port P] [--user U] [--source-db NAME] [--target-db NAME]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$root/target/bench/pg-fullload.conf"
host=127.0.0.1
port=5432
user=postgres
source_db=bench_src
target_db=bench_dst
while [ "$#" -gt 0 ]; do
    case "$1" in
        --config) config="$2"; shift 2 ;;
        --host) host="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --user) user="$2"; shift 2 ;;
        --source-db) source_db="$2"; shift 2 ;;
        --target-db) target_db="$2"; shift 2 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "bench/wait-events.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -f "$config" ] || { echo "bench/wait-events.sh: $config is missing: run bench/run.sh first" >&2; exit 2; }
work="$root/target/bench"
psql_to() { psql -h "$host" -p "$port" -U "$user" -v ON_ERROR_STOP=1 -q -X "$@"; }
psql_to -d postgres -c "DROP DATABASE IF EXISTS $target_db" -c "CREATE DATABASE $target_db"
psql_to -d postgres -c "DROP TABLE IF EXISTS pgfullload_wait_samples, pgfullload_wait_stop" \
    -c "CREATE UNLOGGED TABLE pgfullload_wait_samples (database text, statement text, wait text)" \
    -c "CREATE UNLOGGED TABLE pgfullload_wait_stop (stop boolean)"

# Each statement of the loop takes a new snapshot, so it sees the stop row once this script commits it.
psql_to -d postgres -c "
DO \$\$
BEGIN
    WHILE NOT EXISTS (SELECT FROM pgfullload_wait_stop) LOOP
        INSERT INTO pgfullload_wait_samples
        SELECT datname, left(query, 40), coalesce(wait_event_type || ' ' || wait_event, 'CPU')
        FROM pg_catalog.pg_stat_activity
        WHERE backend_type IN ('client backend', 'parallel worker') AND pid <> pg_catalog.pg_backend_pid()
          AND state = 'active' AND datname IN ('$source_db', '$target_db');
        PERFORM pg_catalog.pg_stat_clear_snapshot();
        PERFORM pg_catalog.pg_sleep(0.005);
    END LOOP;
END \$\$" &
sampler=$!
sleep 0.3
PGFULLLOAD_NO_BUILD=1 JAVA_OPTS="${JAVA_OPTS:--Xmx1g}" /usr/bin/time -f "%e" -o "$work/wait-events-time.txt" \
    "$root/submit-scripts/run-local.sh" --config "$config" > "$work/wait-events.log" 2>&1 || status=$?
psql_to -d postgres -c "INSERT INTO pgfullload_wait_stop VALUES (true)"
wait "$sampler"
if [ "${status:-0}" != 0 ]; then
    echo "bench/wait-events.sh: pg-fullload failed (exit $status); its output is in $work/wait-events.log" >&2
    exit 1
fi

echo "pg-fullload: $(cat "$work/wait-events-time.txt") s; server sessions sampled every 5 ms (one sample = one session seen once)"
echo
psql_to -d postgres -P footer=off -c "
WITH kinds AS (
    SELECT CASE database WHEN '$source_db' THEN 'source' ELSE 'target' END AS side,
           CASE WHEN statement LIKE 'COPY (%' THEN 'COPY out'
                WHEN statement LIKE 'COPY %' THEN 'COPY in'
                WHEN statement LIKE 'ALTER TABLE%' OR statement LIKE 'CREATE%INDEX%' THEN 'keys, indexes'
                WHEN statement LIKE 'SELECT count%' THEN 'validation'
                ELSE 'other' END AS kind,
           wait
    FROM pgfullload_wait_samples
), counted AS (
    SELECT side, kind, wait, count(*) AS samples FROM kinds GROUP BY side, kind, wait
)
SELECT side, kind, wait, samples, round(100.0 * samples / sum(samples) OVER (PARTITION BY side, kind), 1) AS \"% of kind\"
FROM counted
ORDER BY side, kind, samples DESC" | awk -F'|' 'NR <= 2 || $5 + 0 >= 1.0'
echo "(waits under 1 % of their kind left out)"
psql_to -d postgres -c "DROP TABLE pgfullload_wait_samples, pgfullload_wait_stop"
