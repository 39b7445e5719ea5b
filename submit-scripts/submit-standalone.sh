#!/usr/bin/env bash
# pg-fullload on a Spark standalone cluster.
#   SPARK_MASTER=spark://host:7077 submit-scripts/submit-standalone.sh --config /path/settings.conf [--set key=value ...]
# The settings file is shipped with --files, so it need not exist on the workers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${PGFULLLOAD_JAR:-$root/target/pg-fullload-0.1.0-SNAPSHOT-cluster.jar}"
: "${SPARK_MASTER:?set SPARK_MASTER, e.g. spark://spark-master:7077}"
exec "${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit" \
    --master "$SPARK_MASTER" \
    --deploy-mode "${DEPLOY_MODE:-client}" \
    --class dev.pgfullload.app.FullLoadJob \
    --conf spark.speculation=false \
    ${SPARK_SUBMIT_OPTS:-} \
    "$jar" "$@"
