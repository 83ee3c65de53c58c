#!/usr/bin/env bash
# JMH benchmarks of the translation hot paths (src/jmh/java). Builds them with the `jmh` Maven profile when
# they are missing or older than the sources, then runs org.openjdk.jmh.Main with the given arguments.
#   bench/jmh.sh                                  # everything, with the benchmarks' own settings (~5 min)
#   bench/jmh.sh -f 1 -wi 1 -i 1 -r 1s            # a short check that they run
#   bench/jmh.sh Anthropic -prof gc               # one class, with allocation per operation
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JDK=""
best=0
for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$d" && -x "$d/bin/javac" ]] || continue
  v="$("$d/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, a, "."); print (a[1] == "1" ? a[2] : a[1]); exit}')"
  if (( ${v:-0} >= 21 && ${v:-0} > best )); then JDK="$d"; best=$v; fi
done
[[ -n "$JDK" ]] || { echo "error: no JDK >= 21 (with javac) in JAVA_HOME or /usr/lib/jvm" >&2; exit 1; }

list="target/test-classes/META-INF/BenchmarkList"
if [[ ! -f "$list" || ! -f target/jmh.classpath \
      || -n "$(find src/main src/jmh pom.xml -newer "$list" -print -quit 2>/dev/null)" ]]; then
  echo "Building the benchmarks: ./mvnw -Pjmh -DskipTests package" >&2
  JAVA_HOME="$JDK" ./mvnw -q -B -ntp -Pjmh -DskipTests package >&2
fi
exec "$JDK/bin/java" -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "$@"
