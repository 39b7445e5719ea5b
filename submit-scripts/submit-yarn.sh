#!/usr/bin/env bash
# pg-fullload on YARN, in cluster mode: the driver runs in the cluster, the settings file travels with --files.
#   submit-scripts/submit-yarn.sh /path/settings.conf [--set key=value ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${PGFULLLOAD_JAR:-$root/target/pg-fullload-0.1.0-SNAPSHOT-cluster.jar}"
settings="${1:?give the settings file as the first argument}"
shift
exec "${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit" \
    --master yarn \
    --deploy-mode cluster \
    --class dev.pgfullload.app.FullLoadJob \
    --files "$settings" \
    --conf spark.speculation=false \
    ${SPARK_SUBMIT_OPTS:-} \
    "$jar" --config "$(basename "$settings")" "$@"
