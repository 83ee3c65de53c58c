#!/bin/sh
# Container entry point: the JVM settings of the ./ai-gateway launcher (same resource profiles, same flags),
# without the launcher's build step (the image already holds the jar). Usage: docker-entrypoint.sh run --host 0.0.0.0
set -eu

# Resource profiles (GATEWAY_RESOURCE_PROFILE or RESOURCE_PROFILE): heap and GC sized for the machine.
case "${GATEWAY_RESOURCE_PROFILE:-${RESOURCE_PROFILE:-small}}" in
  medium) HEAP="-Xms64m -Xmx512m -XX:+UseSerialGC" ;;
  large)  HEAP="-Xms256m -Xmx2g -XX:+UseParallelGC" ;;
  *)      HEAP="-Xms16m -Xmx128m -XX:+UseSerialGC -XX:MaxHeapFreeRatio=40 -XX:MinHeapFreeRatio=10" ;;
esac

# A class-data archive (made on first start, reused after) cuts start-up; it lives with the data so a
# read-only root file system still works.
CDS_DIR="${GATEWAY_CDS_DIR:-${GATEWAY_HOME:-/srv/ai-gateway}/data}"
mkdir -p "$CDS_DIR" 2>/dev/null || true

# shellcheck disable=SC2086
exec java $HEAP -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k \
  -XX:MaxDirectMemorySize=96m -XX:+ExitOnOutOfMemoryError \
  -XX:SharedArchiveFile="$CDS_DIR/ai-gateway-${1:-run}.jsa" -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dio.netty.allocator.type=pooled -Dio.netty.allocator.numHeapArenas=0 -Dio.netty.allocator.numDirectArenas=2 \
  -Dvertx.disableFileCPResolving=true -Dvertx.disableDnsResolver=true \
  --enable-native-access=ALL-UNNAMED \
  ${GATEWAY_JAVA_OPTS:-} -jar /opt/ai-gateway/ai-gateway.jar "$@"
