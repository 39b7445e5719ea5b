#!/usr/bin/env bash
# pg-fullload in Spark local mode, with nothing to install but Java 17 and Maven.
#
#   submit-scripts/run-local.sh                                      the embedded demo
#   submit-scripts/run-local.sh --config FILE [--set key=value ...]  a full load of your own
#
# Environment: SPARK_MASTER (default local[*]), JAVA_OPTS (extra JVM options, e.g. -Xmx4g).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath_file="$root/target/local-classpath.txt"

# Compile and resolve the classpath (Spark included, as spark-submit would provide it).
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2

classpath="$root/target/classes:$root/target/test-classes:$(cat "$classpath_file")"
read -r -a spark_flags < "$root/target/test-classes/spark-jvm-flags.txt"

if [ "$#" -eq 0 ]; then
    main=dev.pgfullload.demo.EmbeddedDemo
    set -- "$root/target/demo"
else
    main=dev.pgfullload.app.FullLoadJob
fi

# shellcheck disable=SC2086
exec java "${spark_flags[@]}" ${JAVA_OPTS:-} \
    -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    -Dspark.master="${SPARK_MASTER:-local[*]}" \
    -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
    -Dspark.ui.enabled=false \
    -cp "$classpath" "$main" "$@"
