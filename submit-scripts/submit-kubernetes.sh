#!/usr/bin/env bash
# pg-fullload on Kubernetes, in cluster mode. The image must hold Spark 4 and the cluster jar at
# /opt/pg-fullload/pg-fullload-cluster.jar; the settings file is read from a mounted ConfigMap and the
# passwords from a Secret exposed as environment variables (SOURCE_PASSWORD, TARGET_PASSWORD).
#   K8S_API=https://host:6443 IMAGE=registry/pg-fullload:0.1.0 submit-scripts/submit-kubernetes.sh \
#       /etc/pg-fullload/settings.conf [--set key=value ...]
set -euo pipefail
: "${K8S_API:?set K8S_API, the Kubernetes API server URL}"
: "${IMAGE:?set IMAGE, the container image with Spark and pg-fullload}"
settings="${1:?give the settings file path inside the container}"
shift
exec "${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit" \
    --master "k8s://$K8S_API" \
    --deploy-mode cluster \
    --name pg-fullload \
    --class dev.pgfullload.app.FullLoadJob \
    --conf spark.kubernetes.container.image="$IMAGE" \
    --conf spark.kubernetes.namespace="${NAMESPACE:-default}" \
    --conf spark.kubernetes.driver.secretKeyRef.SOURCE_PASSWORD="${SECRET:-pg-fullload}:source-password" \
    --conf spark.kubernetes.driver.secretKeyRef.TARGET_PASSWORD="${SECRET:-pg-fullload}:target-password" \
    --conf spark.speculation=false \
    ${SPARK_SUBMIT_OPTS:-} \
    local:///opt/pg-fullload/pg-fullload-cluster.jar --config "$settings" "$@"
