#!/usr/bin/env bash
# pg-fullload against the tools users pick instead, on the same data and the same target, whole
# processes from start to exit, alternating in one run.
#
#   bench/run.sh [--rows N] [--shape wide|many] [--tables N] [--runs K] [--heap SIZE]
#                [--host H] [--port P] [--user U] [--keep-data]
#
#   --rows N      rows of the wide table `events` (default 2000000), or of each small table (default 1000)
#   --shape       wide: one table (bigint key, timestamptz, numeric(12,2), text, jsonb, boolean, text[])
#                 many: --tables small tables (default 200) in schema `many`
#   --runs K      rounds; every tool runs once per round, in turn (default 3)
#   --heap SIZE   pg-fullload's JVM heap (default 1g)
#   --keep-data   reuse the source data set when it already has the requested shape
#   --tools LIST  comma-separated subset of: pg-fullload,spark-jdbc,pg_dump,copy-pipe,pgloader (default all)
#
# Source database bench_src and target database bench_dst on the PostgreSQL at --host:--port
# (default 127.0.0.1:5432, user postgres, password from PGPASSWORD if needed). The target database is
# dropped and created again before every timed run.
#
# Output: a table of medians (with min, max, rows/s, MB/s, peak memory and the speed against
# pg-fullload's median), then each tool's time divided by pg-fullload's round by round: runs of one
# round are minutes apart, so those ratios move less when the machine changes speed.
#
# Tools: (a) pg-fullload (DROP_AND_CREATE: table, rows, then primary key);
#        (b) Spark's built-in JDBC writer on the same DataFrame with the same partitions, batchsize 1000,
#            into a table without indexes, then the primary key; at its defaults and with reWriteBatchedInserts;
#            the many small tables one after the other, as a loop over df.write.jdbc writes them;
#        (c) pg_dump | psql;
#        (d) psql COPY TO STDOUT | psql COPY FROM STDIN into a table without indexes: one session's ingest ceiling;
#        (e) pgloader (Debian's package), PostgreSQL to PostgreSQL, 2 workers, when installed.
set -euo pipefail

rows=""
shape=wide
tables=200
runs=3
heap=1g
host=127.0.0.1
port=5432
user=postgres
keep=false
tools="pg-fullload,spark-jdbc,pg_dump,copy-pipe,pgloader"
while [ "$#" -gt 0 ]; do
    case "$1" in
        --rows) rows="$2"; shift 2 ;;
        --shape) shape="$2"; shift 2 ;;
        --tables) tables="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --heap) heap="$2"; shift 2 ;;
        --host) host="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --user) user="$2"; shift 2 ;;
        --keep-data) keep=true; shift ;;
        --tools) tools="$2"; shift 2 ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$shape" in
    wide) rows="${rows:-2000000}" ;;
    many) rows="${rows:-1000}" ;;
    *) echo "bench/run.sh: --shape is wide or many" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/target/bench"
mkdir -p "$work"
psql_to() { psql -h "$host" -p "$port" -U "$user" -v ON_ERROR_STOP=1 -q -X "$@"; }
url() { echo "jdbc:postgresql://$host:$port/$1"; }

echo "== building pg-fullload" >&2
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -DskipTests test-compile jar:jar jar:test-jar dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$root/target/local-classpath.txt" >&2
# pg-fullload and the Spark baseline both start as submit-scripts/run-local.sh starts a load (class-data archive,
# serial collector); the baseline with the JIT compiler setting that is fastest for it (see run_spark_jdbc).
export PGFULLLOAD_NO_BUILD=1 JAVA_OPTS="-Xmx$heap"

# ---------------------------------------------------------------- the data set
marker="$shape:$rows:$tables"
existing=$(psql_to -d bench_src -Atc "SELECT obj_description('public'::regnamespace)" 2>/dev/null || true)
if [ "$keep" = true ] && [ "$existing" = "$marker" ]; then
    echo "== reusing bench_src ($marker)" >&2
else
    echo "== creating bench_src: $marker" >&2
    psql_to -d postgres -c "DROP DATABASE IF EXISTS bench_src" -c "CREATE DATABASE bench_src"
    if [ "$shape" = wide ]; then
        psql_to -d bench_src -v rows="$rows" -f "$root/bench/events.sql" 2>/dev/null
    else
        psql_to -d bench_src -v rows="$rows" -v tables="$tables" -f "$root/bench/many.sql" 2>/dev/null
    fi
    psql_to -d bench_src -c "COMMENT ON SCHEMA public IS '$marker'"
fi
if [ "$shape" = wide ]; then
    pattern="public.events"
    total_rows=$rows
else
    pattern="many.%"
    total_rows=$((rows * tables))
fi
bytes=$(psql_to -d bench_src -Atc "SELECT sum(pg_table_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND $( [ "$shape" = wide ] && echo "c.oid = 'public.events'::regclass" || echo "n.nspname = 'many'")")
echo "== source: $total_rows rows, $((bytes / 1048576)) MB of table data" >&2

# ---------------------------------------------------------------- the tools
cat > "$work/pg-fullload.conf" <<EOF
fullload {
  source { url = "$(url bench_src)", user = "$user", password = \${?PGPASSWORD} }
  target { url = "$(url bench_dst)", user = "$user", password = \${?PGPASSWORD} }
  tables { "include" = ["$pattern"] }
  load.target-table-prep-mode = DROP_AND_CREATE
  report.path = "$work/pg-fullload-report.json"
}
EOF
cat > "$work/pgloader.load" <<EOF
LOAD DATABASE
     FROM pgsql://$user@$host:$port/bench_src
     INTO pgsql://$user@$host:$port/bench_dst
WITH include drop, create tables, create indexes, reset sequences, workers = 2, concurrency = 1, prefetch rows = 25000
$( [ "$shape" = wide ] && echo "INCLUDING ONLY TABLE NAMES MATCHING 'events' IN SCHEMA 'public'" || echo "INCLUDING ONLY TABLE NAMES MATCHING ~/.*/ IN SCHEMA 'many'" );
EOF

fresh_target() {
    psql_to -d postgres -c "DROP DATABASE IF EXISTS bench_dst" -c "CREATE DATABASE bench_dst"
}
schema_without_indexes() {
    # The source's table definitions, without primary keys or indexes.
    if [ "$shape" = wide ]; then
        pg_dump -h "$host" -p "$port" -U "$user" -s -t public.events bench_src
    else
        pg_dump -h "$host" -p "$port" -U "$user" -s -n many bench_src
    fi | grep -v -E "PRIMARY KEY|^ALTER TABLE ONLY|CREATE (UNIQUE )?INDEX" | psql_to -d bench_dst >/dev/null
}

run_pg_fullload() {
    fresh_target
    timed pg-fullload "$root/submit-scripts/run-local.sh" --config "$work/pg-fullload.conf"
}
run_spark_jdbc() {
    local label=$1 mode=$2
    fresh_target
    schema_without_indexes
    # The launcher's C1-only JIT suits pg-fullload's short run but slows the baseline's long INSERT loop: the
    # baseline gets the JVM's default tiered compilation (C2), its fastest setting here (14.6 s against 15.3 s).
    timed "$label" env PGFULLLOAD_MAIN_CLASS=dev.pgfullload.bench.SparkJdbcWriterBaseline \
        JAVA_OPTS="$JAVA_OPTS -XX:TieredStopAtLevel=4 -XX:CICompilerCount=2" "$root/submit-scripts/run-local.sh" \
        "$(url bench_src)" "$(url bench_dst)" "$pattern" 500000 134217728 1000 "$mode"
}
run_pg_dump() {
    fresh_target
    if [ "$shape" = wide ]; then
        timed "pg_dump | psql" bash -c "pg_dump -h '$host' -p '$port' -U '$user' -t public.events bench_src | psql -h '$host' -p '$port' -U '$user' -q -X -d bench_dst"
    else
        timed "pg_dump | psql" bash -c "pg_dump -h '$host' -p '$port' -U '$user' -n many bench_src | psql -h '$host' -p '$port' -U '$user' -q -X -d bench_dst"
    fi
}
run_copy_pipe() {
    fresh_target
    schema_without_indexes
    local list
    list=$(psql_to -d bench_src -Atc "SELECT string_agg(c.oid::regclass::text, ' ') FROM pg_class c WHERE c.oid IN ($( [ "$shape" = wide ] && echo "'public.events'::regclass" || echo "SELECT oid FROM pg_class WHERE relnamespace = 'many'::regnamespace AND relkind = 'r'"))")
    timed "psql COPY pipe (no indexes)" bash -c "for t in $list; do psql -h '$host' -p '$port' -U '$user' -X -d bench_src -c \"COPY \$t TO STDOUT\" | psql -h '$host' -p '$port' -U '$user' -X -q -d bench_dst -c \"COPY \$t FROM STDIN\"; done"
}
run_pgloader() {
    fresh_target
    timed "pgloader" pgloader --quiet "$work/pgloader.load"
}

results="$work/results.tsv"
: > "$results"
timed() {
    local label=$1
    shift
    local log="$work/last.log"
    if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$log" 2>&1; then
        # A peer that fails (pgloader has run out of heap here) is counted, not timed; the run goes on.
        echo "!! $label failed; the end of its output:" >&2
        tail -5 "$log" >&2
        printf '%s\tfailed\t0\t%s\n' "$label" "$round" >> "$results"
        return 0
    fi
    local loaded
    if [ "$shape" = wide ]; then
        loaded=$(psql_to -d bench_dst -Atc "SELECT count(*) FROM public.events")
    else
        local counts
        counts=$(psql_to -d bench_dst -Atc "SELECT string_agg('SELECT count(*) AS n FROM ' || c.oid::regclass, ' UNION ALL ')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'many' AND c.relkind = 'r'")
        loaded=$(psql_to -d bench_dst -Atc "SELECT coalesce(sum(n), 0) FROM (${counts:-SELECT 0 AS n}) counted")
    fi
    if [ "$loaded" != "$total_rows" ]; then
        echo "!! $label left $loaded rows in the target, not $total_rows" >&2
        exit 1
    fi
    read -r seconds kilobytes < "$work/time.txt"
    printf '%s\t%s\t%s\t%s\n' "$label" "$seconds" "$kilobytes" "$round" >> "$results"
    printf '   %-34s %7.2f s  %6d MB peak\n' "$label" "$seconds" "$((kilobytes / 1024))" >&2
}

echo "== warm-up: one untimed pg-fullload run records the JVM's class-data archive (target/cds)" >&2
fresh_target
"$root/submit-scripts/run-local.sh" --config "$work/pg-fullload.conf" > "$work/warm-up.log" 2>&1 || { tail -20 "$work/warm-up.log" >&2; exit 1; }

pgloader_available=false
command -v pgloader >/dev/null 2>&1 && pgloader_available=true
wanted() { case ",$tools," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
for round in $(seq 1 "$runs"); do
    echo "== round $round of $runs" >&2
    wanted pg-fullload && run_pg_fullload
    if wanted spark-jdbc; then
        run_spark_jdbc "Spark JDBC writer (defaults)" plain
        run_spark_jdbc "Spark JDBC writer (reWriteBatched)" rewrite
    fi
    wanted pg_dump && run_pg_dump
    wanted copy-pipe && run_copy_pipe
    if [ "$pgloader_available" = true ] && wanted pgloader; then
        run_pgloader
    fi
done

# ---------------------------------------------------------------- the table
echo
echo "pg-fullload benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(psql_to -d postgres -Atc 'SHOW server_version' | cut -d' ' -f1) at $host:$port"
echo "shape $shape: $total_rows rows, $((bytes / 1048576)) MB of table data; $runs rounds; whole processes, start to exit;"
echo "pg-fullload and the Spark baseline as submit-scripts/run-local.sh starts them (local[*,4], -Xmx$heap, class-data archive from the warm-up run; the baseline with C2)"
echo
awk -F'\t' -v rows="$total_rows" -v bytes="$bytes" '
    { if (!($1 in order)) { order[$1] = ++k; names[k] = $1 }
      if ($2 == "failed") { failed[$1]++; next }
      n[$1]++; t[$1, n[$1]] = $2; if ($3 > m[$1]) m[$1] = $3
      inround[$1, $4] = $2; if ($4 > rounds) rounds = $4 }
    END {
        for (i = 1; i <= k; i++) {
            name = names[i]; c = n[name];
            for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (t[name, b] < t[name, a]) { x = t[name, a]; t[name, a] = t[name, b]; t[name, b] = x }
            med[name] = (c % 2) ? t[name, (c + 1) / 2] : (t[name, c / 2] + t[name, c / 2 + 1]) / 2
            lo[name] = t[name, 1]; hi[name] = t[name, c]
        }
        base = med["pg-fullload"]
        printf "| tool | median s | min s | max s | rows/s | MB/s | peak MB | speed vs pg-fullload | failed runs |\n"
        printf "|---|---|---|---|---|---|---|---|---|\n"
        for (i = 1; i <= k; i++) {
            name = names[i]; shown = name; gsub(/\|/, "\\|", shown)
            if (n[name] == 0) { printf "| %s | - | - | - | - | - | - | - | %d |\n", shown, failed[name]; continue }
            printf "| %s | %.2f | %.2f | %.2f | %d | %.1f | %d | %s | %d |\n", shown, med[name], lo[name], hi[name],
                rows / med[name], bytes / 1048576 / med[name], m[name] / 1024, base ? sprintf("%.2fx", base / med[name]) : "-", failed[name] + 0
        }
        # Runs of one round are minutes apart, so their ratio is less exposed to the machine changing speed.
        header = 0
        for (i = 1; i <= k; i++) {
            name = names[i]
            if (name == "pg-fullload") continue
            c = 0; line = ""
            for (r = 1; r <= rounds; r++) {
                if (((name, r) in inround) && (("pg-fullload", r) in inround) && inround["pg-fullload", r] > 0) {
                    q[++c] = inround[name, r] / inround["pg-fullload", r]; line = line sprintf(" %.2fx", q[c])
                }
            }
            if (c == 0) continue
            for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (q[b] < q[a]) { x = q[a]; q[a] = q[b]; q[b] = x }
            if (!header) { printf "\nRound by round, each tool'"'"'s time divided by pg-fullload'"'"'s in the same round (how many times faster pg-fullload was):\n"; header = 1 }
            shown = name; gsub(/\|/, "\\|", shown)
            printf "- %s:%s (median %.2fx)\n", shown, line, (c % 2) ? q[(c + 1) / 2] : (q[c / 2] + q[c / 2 + 1]) / 2
        }
    }' "$results"
