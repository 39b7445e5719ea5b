#!/usr/bin/env bash
# pg-fullload in Spark local mode, with nothing to install but Java 17 and Maven.
#
#   submit-scripts/run-local.sh                                      the embedded demo
#   submit-scripts/run-local.sh --config FILE [--set key=value ...]  a full load of your own
#
# Environment: SPARK_MASTER (default local[*,4]: all cores, a failed task tried up to 4 times), JAVA_OPTS (extra JVM options, e.g. -Xmx4g),
# PGFULLLOAD_NO_BUILD=1 to skip the build when it is already done (the benchmark does).
#
# The JVM starts with class-data sharing: the first run records the classes Spark loads into
# target/cds/, later runs map them instead of reading ~300 jars, which saves seconds per run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath_file="$root/target/local-classpath.txt"
main_jar="$root/target/pg-fullload-0.1.0-SNAPSHOT.jar"
test_jar="$root/target/pg-fullload-0.1.0-SNAPSHOT-tests.jar"

if [ "${PGFULLLOAD_NO_BUILD:-}" != 1 ] || [ ! -f "$classpath_file" ] || [ ! -f "$test_jar" ]; then
    # Compile, jar, and resolve the classpath (Spark included, as spark-submit would provide it).
    mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -DskipTests test-compile jar:jar jar:test-jar \
        dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2
fi

classpath="$main_jar:$test_jar:$(cat "$classpath_file")"
read -r -a spark_flags < "$root/target/test-classes/spark-jvm-flags.txt"

# One archive per classpath; a jar rebuilt since the archive was made invalidates it.
mkdir -p "$root/target/cds"
archive="$root/target/cds/$(printf '%s' "$classpath" | md5sum | cut -c1-16).jsa"
if [ -f "$archive" ] && [ "$archive" -nt "$main_jar" ] && [ "$archive" -nt "$test_jar" ]; then
    cds=(-XX:SharedArchiveFile="$archive")
else
    rm -f "$root"/target/cds/*.jsa
    cds=(-XX:ArchiveClassesAtExit="$archive")
fi

if [ -n "${PGFULLLOAD_MAIN_CLASS:-}" ]; then
    # The benchmark runs its Spark JDBC baseline on exactly this JVM set-up.
    main=$PGFULLLOAD_MAIN_CLASS
elif [ "$#" -eq 0 ]; then
    main=dev.pgfullload.demo.EmbeddedDemo
    set -- "$root/target/demo"
else
    main=dev.pgfullload.app.FullLoadJob
fi

# C1 only, on one compiler thread, and the serial collector: a load job's hot loops are short, and this measured
# faster whole-process here; no hsperfdata file (jcmd still attaches).
# shellcheck disable=SC2086
exec java "${spark_flags[@]}" "${cds[@]}" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -XX:-UsePerfData ${JAVA_OPTS:-} \
    -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    -Dspark.master="${SPARK_MASTER:-local[*,4]}" \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
    -Dspark.ui.enabled=false \
    -cp "$classpath" "$main" "$@"
