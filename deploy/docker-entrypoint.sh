#!/bin/sh
# Container entry point: the JVM settings of the ./ai-gateway launcher (same resource profiles, same flags),
# without the launcher's build step (the image already holds the jar). Usage: docker-entrypoint.sh run --host 0.0.0.0
set -eu

# Resource profiles (GATEWAY_RESOURCE_PROFILE or RESOURCE_PROFILE): heap and GC sized for the machine.
case "${GATEWAY_RESOURCE_PROFILE:-${RESOURCE_PROFILE:-small}}" in
  medium) HEAP="-Xms64m -Xmx512m -XX:+UseSerialGC"; LOOPS=4; DB_POOL=4 ;;
  large)  HEAP="-Xms256m -Xmx2g -XX:+UseParallelGC"; LOOPS=0; DB_POOL=8 ;;
  *)      HEAP="-Xms32m -Xmx128m -Xmn24m -XX:+UseSerialGC -XX:MaxHeapFreeRatio=40 -XX:MinHeapFreeRatio=10"; LOOPS=2; DB_POOL=2 ;;
esac
# Event loops (at most this many, never more than the cores; 0 = one per core) and PostgreSQL connections per profile.
cores="$(nproc 2>/dev/null || echo 2)"
if [ "$LOOPS" -eq 0 ] || [ "$LOOPS" -gt "$cores" ]; then LOOPS=$cores; fi
GATEWAY_EVENT_LOOPS="${GATEWAY_EVENT_LOOPS:-$LOOPS}"
GATEWAY_DB_POOL_SIZE="${GATEWAY_DB_POOL_SIZE:-$DB_POOL}"
export GATEWAY_EVENT_LOOPS GATEWAY_DB_POOL_SIZE

# A class-data archive (made on first start, reused after) cuts start-up; it lives with the data so a
# read-only root file system still works.
CDS_DIR="${GATEWAY_CDS_DIR:-${GATEWAY_HOME:-/srv/ai-gateway}/data}"
mkdir -p "$CDS_DIR" 2>/dev/null || true
# The JVM ignores an archive made from another jar (a new image) and does not replace it: drop it so this run writes one.
JSA="$CDS_DIR/ai-gateway-${1:-run}.jsa"
if [ -f "$JSA" ] && [ /opt/ai-gateway/ai-gateway.jar -nt "$JSA" ]; then rm -f "$JSA"; fi

# shellcheck disable=SC2086
exec java $HEAP -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k \
  -XX:MaxDirectMemorySize=96m -XX:+ExitOnOutOfMemoryError \
  -XX:SharedArchiveFile="$JSA" -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dio.netty.allocator.type=pooled -Dio.netty.allocator.numHeapArenas=0 -Dio.netty.allocator.numDirectArenas=2 \
  -Dvertx.disableFileCPResolving=true -Dvertx.disableDnsResolver=true \
  --enable-native-access=ALL-UNNAMED \
  ${GATEWAY_JAVA_OPTS:-} -jar /opt/ai-gateway/ai-gateway.jar "$@"
