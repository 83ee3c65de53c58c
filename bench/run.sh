#!/usr/bin/env bash
# AI Gateway benchmark harness: direct vs through the gateway (and Portkey's gateway when it installs).
# One command from a fresh clone: bench/run.sh [--quick] [--portkey|--no-portkey] [--streams N] [--duration S] [--keep]
# See bench/README.md. Figures are information only: the exit status is 0 whenever the measurements ran,
# non-zero only when the harness itself could not run (a tool missing, a server that never came up).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMAND="bench/run.sh${*:+ $*}"
JAR="$ROOT/target/ai-gateway.jar"

usage() {
  cat <<'EOF'
Usage: bench/run.sh [options]
  --quick          a couple of seconds per phase, 200 streams for 2 s, 5 s after-load wait, 1 launch timing
                   (what CI runs; Portkey skipped unless --portkey)
  --portkey        run Portkey's gateway side by side (default in full mode)
  --no-portkey     skip Portkey
  --streams N      concurrent SSE streams (default 2000, quick 200)
  --stream-secs S  how long each stream lasts (default 10, quick 2)
  --duration S     seconds per wrk phase (default 10, quick 2)
  --profile NAME   the launcher's resource profile for the gateway: small (default), medium or large
  --keep           keep the temporary working directory (logs, configs) instead of deleting it
EOF
}

QUICK=0 PORTKEY=auto KEEP=0 STREAMS="" STREAM_SECS="" DURATION="" PROFILE=small
while (($#)); do
  case "$1" in
    --quick) QUICK=1 ;;
    --portkey) PORTKEY=1 ;;
    --no-portkey) PORTKEY=0 ;;
    --streams) STREAMS="$2"; shift ;;
    --streams=*) STREAMS="${1#*=}" ;;
    --stream-secs) STREAM_SECS="$2"; shift ;;
    --stream-secs=*) STREAM_SECS="${1#*=}" ;;
    --duration) DURATION="$2"; shift ;;
    --duration=*) DURATION="${1#*=}" ;;
    --keep) KEEP=1 ;;
    --profile) PROFILE="$2"; shift ;;
    --profile=*) PROFILE="${1#*=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

case "$PROFILE" in small|medium|large) ;; *) echo "--profile must be small, medium or large, not '$PROFILE'" >&2; exit 2 ;; esac

if ((QUICK)); then
  DURATION="${DURATION:-2}" WARM=1 AFTER_WAIT=5 LAUNCH_RUNS=1 STREAMS="${STREAMS:-200}" STREAM_SECS="${STREAM_SECS:-2}" RAMP_MS=200 STREAM_WARM_ROUNDS=1
  [[ "$PORTKEY" == auto ]] && PORTKEY=0
else
  DURATION="${DURATION:-10}" WARM=5 AFTER_WAIT=60 LAUNCH_RUNS=3 STREAMS="${STREAMS:-2000}" STREAM_SECS="${STREAM_SECS:-10}" RAMP_MS=1000 STREAM_WARM_ROUNDS=3
  [[ "$PORTKEY" == auto ]] && PORTKEY=1
fi
CHUNK_MS=20
LARGE_C=16
LARGE_KB=150

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "HARNESS ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup: every process we start, on any exit
PIDS=()
WORK=""
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [[ -n "$WORK" && -f "$WORK/launch.pids" ]]; then
    while read -r p; do kill -TERM "$p" 2>/dev/null; done <"$WORK/launch.pids"
  fi
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for _ in $(seq 100); do
    local alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  if [[ -n "$WORK" && -f "$WORK/launch.pids" ]]; then
    while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$WORK/launch.pids"
  fi
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if ((KEEP)) || ((rc == 1)); then log "working directory kept: $WORK"; else rm -rf "$WORK"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# Runs a command in the background and waits for it, so a signal reaches the traps at once.
run_wait() {
  "$@" &
  local p=$!
  PIDS+=("$p")
  local rc=0
  wait "$p" || rc=$?
  return "$rc"
}

# ---------------------------------------------------------------- tools
need=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  [[ "$(id -u)" == 0 ]] || die "missing ${need[*]}: install them (sudo apt-get install ${need[*]}) or run as root"
  log "installing ${need[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/ai-gateway-bench-apt.log 2>&1; then
    log "apt-get install failed; running apt-get update first"
    apt-get update -qq >>/tmp/ai-gateway-bench-apt.log 2>&1 || true
    apt-get install -y -qq --no-install-recommends "${need[@]}" >>/tmp/ai-gateway-bench-apt.log 2>&1 \
      || die "apt-get install ${need[*]} failed (see /tmp/ai-gateway-bench-apt.log)"
  fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

java_version() { "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'; }
JDK=""
best=0
for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$d" && -x "$d/bin/javac" && -x "$d/bin/java" ]] || continue
  v="$(java_version "$d/bin/java")"; v="${v:-0}"
  if ((v >= 21 && v > best)); then JDK="$d"; best=$v; fi
done
[[ -n "$JDK" ]] || die "no JDK >= 21 (with javac) in JAVA_HOME or /usr/lib/jvm"
JAVA="$JDK/bin/java"
JTOOL=("$JAVA" --enable-native-access=ALL-UNNAMED) # the bench tools load Netty's epoll library
((best >= 23)) && JTOOL+=(--sun-misc-unsafe-memory-access=allow) # as the launcher: Netty with Unsafe on JDK 25+

if [[ ! -f "$JAR" || -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]]; then
  log "building target/ai-gateway.jar"
  (cd "$ROOT" && JAVA_HOME="$JDK" ./mvnw -q -B -ntp -DskipTests package) >&2 || die "the gateway build failed"
fi

# Streams need file descriptors: client, gateway (two per stream) and upstream share this limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT="$(ulimit -n)"
if [[ "$FD_LIMIT" != unlimited ]] && ((FD_LIMIT < STREAMS * 2 + 512)); then
  log "warning: open-file limit $FD_LIMIT is low for $STREAMS streams (the gateway needs 2 per stream); raise it with ulimit -n"
fi

# ---------------------------------------------------------------- working directory
WORK="$(mktemp -d /tmp/ai-gateway-bench.XXXXXX)"
chmod 755 "$WORK"
log "working directory $WORK"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"

used_ports=" "
free_port() { # VAR: a loopback port nothing listens on, not handed out before
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    [[ "$used_ports" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used_ports+="$p "
      printf -v "$1" '%s' "$p"
      return
    fi
  done
}
free_port NGINX_PORT
free_port SSE_PORT
free_port GW_PORT
free_port PK_PORT

MASTER_KEY="sk-bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf 'GATEWAY_MASTER_KEY=%s\n' "$MASTER_KEY" >"$WORK/.env"
chmod 600 "$WORK/.env"
cat >"$WORK/config.yaml" <<EOF
model_list:
  - model_name: bench
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$NGINX_PORT/v1
      api_key: sk-upstream
  - model_name: bench-sse
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: http://127.0.0.1:$SSE_PORT/v1
      api_key: sk-upstream
EOF

# Request bodies: a typical small chat request, and a 150 KB one (a long pasted document).
cat >"$WORK/small.json" <<'EOF'
{"model":"bench","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Hello! Can you tell me a short joke about computers?"}],"temperature":0.7}
EOF
{
  printf '{"model":"bench","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Summarize this document: '
  sentence="The quick brown fox jumps over the lazy dog while the gateway forwards every byte of this long prompt. "
  n=$(( LARGE_KB * 1024 / ${#sentence} ))
  for ((i = 0; i < n; i++)); do printf '%s' "$sentence"; done
  printf '"}]}\n'
} >"$WORK/large.json"

# ---------------------------------------------------------------- fake upstreams
COMPLETION='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}'
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
error_log $WORK/nginx/logs/error.log warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_max_body_size 16m;
  client_body_buffer_size 1m;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    location = /v1/chat/completions {
      default_type application/json;
      return 200 '$COMPLETION';
    }
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx/logs/stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")

# The tools are single-file programs (java -cp target/ai-gateway.jar bench/X.java runs each); compiled once
# into target/bench-classes so that no phase pays for compiling them.
TOOLS="$ROOT/target/bench-classes"
if [[ ! -f "$TOOLS/StreamClient.class" || -n "$(find "$ROOT/bench" -name '*.java' -newer "$TOOLS/StreamClient.class" -print -quit 2>/dev/null)" \
      || "$JAR" -nt "$TOOLS/StreamClient.class" ]]; then
  log "compiling the benchmark tools (bench/*.java)"
  rm -rf "$TOOLS" && mkdir -p "$TOOLS"
  "$JDK/bin/javac" -nowarn -cp "$JAR" -d "$TOOLS" \
    "$ROOT/bench/SseUpstream.java" "$ROOT/bench/StreamClient.java" "$ROOT/bench/LaunchTimer.java" >&2 \
    || die "could not compile bench/*.java"
fi
CP="$JAR:$TOOLS"

"${JTOOL[@]}" -Xmx256m -cp "$CP" SseUpstream "$SSE_PORT" "$CHUNK_MS" "$((STREAM_SECS * 1000))" 2 >"$WORK/sse-upstream.log" 2>&1 &
SSE_PID=$!
PIDS+=("$SSE_PID")

# Waits until URL answers with an HTTP status (any), polling every 10 ms; fails after $2 seconds.
wait_http() {
  local url="$1" secs="$2" pid="${3:-}" i
  for ((i = 0; i < secs * 100; i++)); do
    [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null && return 1
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null || true)" == 200 ]] && return 0
    sleep 0.01
  done
  return 1
}
chat_ok() { # url body [curl header args...]: the answer must be a chat.completion
  local url="$1" body="$2"
  shift 2
  curl -s --max-time 10 -X POST "$url" -H 'content-type: application/json' "$@" --data-binary "@$body" | grep -q '"chat.completion"'
}

for ((i = 0; i < 500; i++)); do chat_ok "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$WORK/small.json" && break; sleep 0.01; done
chat_ok "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "$WORK/small.json" \
  || die "nginx did not answer on port $NGINX_PORT ($(tail -n 3 "$WORK/nginx/logs/error.log" "$WORK/nginx/logs/stdout.log" 2>/dev/null))"
for ((i = 0; i < 3000; i++)); do grep -q '^LISTENING' "$WORK/sse-upstream.log" && break; kill -0 "$SSE_PID" 2>/dev/null || break; sleep 0.01; done
grep -q '^LISTENING' "$WORK/sse-upstream.log" || die "the SSE upstream did not start: $(tail -n 5 "$WORK/sse-upstream.log")"

# ---------------------------------------------------------------- measuring helpers
declare -A R=()
# wrk_run LABEL URL THREADS CONNS SECS BODYFILE HEADERS: results in R[LABEL.rps], R[LABEL.p50_us] ...
wrk_run() {
  local label="$1" url="$2" t="$3" c="$4" secs="$5" body="$6" headers="$7" out="$WORK/wrk-$1.txt"
  log "wrk $label: -t$t -c$c -d${secs}s"
  BENCH_BODY_FILE="$body" BENCH_HEADERS="$headers" run_wait wrk -t"$t" -c"$c" -d"${secs}s" --latency --timeout 10s \
    -s "$ROOT/bench/post.lua" "$url" >"$out" 2>&1 || die "wrk failed for $label: $(tail -n 5 "$out")"
  local line kv
  line="$(grep '^BENCH ' "$out")" || die "wrk printed no summary for $label: $(tail -n 5 "$out")"
  for kv in ${line#BENCH }; do R["$label.${kv%%=*}"]="${kv#*=}"; done
  R["$label.errors"]=$((R[$label.err_connect] + R[$label.err_read] + R[$label.err_write] + R[$label.err_status] + R[$label.err_timeout]))
}
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "n/a"; }
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR] = $1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

SMALL="$WORK/small.json"
LARGE="$WORK/large.json"
DIRECT_URL="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
GW_URL="http://127.0.0.1:$GW_PORT/v1/chat/completions"
GW_HEADERS="Authorization: Bearer $MASTER_KEY"

# ---------------------------------------------------------------- direct (client -> nginx)
log "phase: direct to nginx"
wrk_run direct_warm "$DIRECT_URL" 2 64 1 "$SMALL" ""
wrk_run direct_c1 "$DIRECT_URL" 1 1 "$DURATION" "$SMALL" ""
wrk_run direct_c64 "$DIRECT_URL" 2 64 "$DURATION" "$SMALL" ""
wrk_run direct_large "$DIRECT_URL" 2 "$LARGE_C" "$DURATION" "$LARGE" ""

# ---------------------------------------------------------------- the gateway, as a user runs it
gateway_env=(env -u DATABASE_URL -u REDIS_URL -u GATEWAY_CONFIG -u GATEWAY_PORT -u GATEWAY_HOST -u GATEWAY_MASTER_KEY
  -u LITELLM_MASTER_KEY -u GATEWAY_RESOURCE_PROFILE -u RESOURCE_PROFILE -u GATEWAY_JAVA_OPTS -u GATEWAY_EVENT_LOOPS
  -u GATEWAY_DB_POOL_SIZE GATEWAY_RESOURCE_PROFILE="$PROFILE" GATEWAY_HOME="$WORK")
log "phase: starting the gateway (./ai-gateway run --port $GW_PORT, SQLite under $WORK/data)"
t0=$(date +%s%N)
(cd "$WORK" && exec "${gateway_env[@]}" "$ROOT/ai-gateway" run --port "$GW_PORT") >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
wait_http "http://127.0.0.1:$GW_PORT/health/readiness" 120 "$GW_PID" \
  || die "the gateway did not become ready: $(tail -n 20 "$WORK/gateway.log")"
FIRST_START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
chat_ok "$GW_URL" "$SMALL" -H "Authorization: Bearer $MASTER_KEY" \
  || die "the gateway did not answer a chat completion: $(curl -s -X POST "$GW_URL" -H "Authorization: Bearer $MASTER_KEY" -H 'content-type: application/json' --data-binary "@$SMALL"; tail -n 5 "$WORK/gateway.log")"
GW_JAVA="$(readlink "/proc/$GW_PID/exe" 2>/dev/null || echo "$JAVA")"
GW_JDK="$("$GW_JAVA" -version 2>&1 | sed -n 2p)"
GW_VERSION="$(curl -s "http://127.0.0.1:$GW_PORT/health/readiness" | grep -o '"version":"[^"]*"' | cut -d'"' -f4 || true)"
sleep 2
RSS_IDLE="$(rss_mb "$GW_PID")"
log "gateway ready after ${FIRST_START_MS} ms (first start in a fresh directory); idle RSS ${RSS_IDLE} MB"

log "phase: through the gateway"
wrk_run gw_warm "$GW_URL" 2 64 "$WARM" "$SMALL" "$GW_HEADERS"
wrk_run gw_c1 "$GW_URL" 1 1 "$DURATION" "$SMALL" "$GW_HEADERS"
wrk_run gw_c64 "$GW_URL" 2 64 "$DURATION" "$SMALL" "$GW_HEADERS"
wrk_run gw_large "$GW_URL" 2 "$LARGE_C" "$DURATION" "$LARGE" "$GW_HEADERS"
RSS_AFTER="$(rss_mb "$GW_PID")"
READY_AFTER="$(curl -s "http://127.0.0.1:$GW_PORT/health/readiness" || true)"
log "gateway RSS right after load ${RSS_AFTER} MB; readiness: $READY_AFTER"
# RSS a while after load, sampled in the background while Portkey (if any) runs.
(sleep "$AFTER_WAIT"; rss_mb "$GW_PID" >"$WORK/rss-after-wait") &
AFTER_PID=$!
PIDS+=("$AFTER_PID")

# ---------------------------------------------------------------- Portkey side by side
PK_STATUS="skipped (quick mode; add --portkey)"
((PORTKEY)) || { ((QUICK)) || PK_STATUS="skipped (--no-portkey)"; }
PK_RAN=0 PK_VERSION="" PK_PID=""
portkey() {
  command -v node >/dev/null && command -v npm >/dev/null || { PK_STATUS="not run: node/npm not installed"; return; }
  local dir="${BENCH_PORTKEY_DIR:-$WORK/portkey}" server
  server="$dir/node_modules/@portkey-ai/gateway/build/start-server.js"
  if [[ ! -f "$server" ]]; then
    log "checking npm for @portkey-ai/gateway"
    PK_VERSION="$(timeout 60 npm view @portkey-ai/gateway version 2>"$WORK/npm-view.log" | tail -n 1)" \
      || { PK_STATUS="not run: 'npm view @portkey-ai/gateway version' failed: $(grep -v '^npm warn' "$WORK/npm-view.log" | tail -n 1)"; return; }
    log "installing @portkey-ai/gateway@$PK_VERSION into $dir"
    mkdir -p "$dir"
    timeout 600 npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "@portkey-ai/gateway@$PK_VERSION" >"$WORK/npm-install.log" 2>&1 \
      || { PK_STATUS="not run: npm install failed: $(grep -v '^npm warn' "$WORK/npm-install.log" | tail -n 2 | tr '\n' ' ')"; return; }
  fi
  [[ -f "$server" ]] || { PK_STATUS="not run: $server missing after npm install"; return; }
  PK_VERSION="$(grep -o '"version": *"[^"]*"' "$dir/node_modules/@portkey-ai/gateway/package.json" | head -n 1 | cut -d'"' -f4)"
  node "$server" --port="$PK_PORT" --headless >"$WORK/portkey.log" 2>&1 &
  PK_PID=$!
  PIDS+=("$PK_PID")
  local pk_args=(-H 'x-portkey-provider: openai' -H "x-portkey-custom-host: http://127.0.0.1:$NGINX_PORT/v1" -H 'Authorization: Bearer sk-upstream')
  local i
  for ((i = 0; i < 3000; i++)); do
    chat_ok "http://127.0.0.1:$PK_PORT/v1/chat/completions" "$SMALL" "${pk_args[@]}" && break
    kill -0 "$PK_PID" 2>/dev/null || break
    sleep 0.01
  done
  chat_ok "http://127.0.0.1:$PK_PORT/v1/chat/completions" "$SMALL" "${pk_args[@]}" \
    || { PK_STATUS="not run: Portkey did not answer: $(tail -n 3 "$WORK/portkey.log" | tr '\n' ' ')"; return; }
  R[pk.rss_idle]="$(rss_mb "$PK_PID")"
  local pk_url="http://127.0.0.1:$PK_PORT/v1/chat/completions"
  local pk_headers="x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$NGINX_PORT/v1|Authorization: Bearer sk-upstream"
  wrk_run pk_warm "$pk_url" 2 64 "$WARM" "$SMALL" "$pk_headers"
  wrk_run pk_c1 "$pk_url" 1 1 "$DURATION" "$SMALL" "$pk_headers"
  wrk_run pk_c64 "$pk_url" 2 64 "$DURATION" "$SMALL" "$pk_headers"
  R[pk.rss_after]="$(rss_mb "$PK_PID")"
  kill -TERM "$PK_PID" 2>/dev/null || true
  PK_RAN=1
  PK_STATUS="ran: @portkey-ai/gateway $PK_VERSION on node $(node --version)"
}
if ((PORTKEY)); then
  log "phase: Portkey side by side"
  portkey
  log "Portkey: $PK_STATUS"
fi

log "waiting for the RSS sample ${AFTER_WAIT} s after load"
wait "$AFTER_PID" || true
RSS_AFTER_WAIT="$(cat "$WORK/rss-after-wait" 2>/dev/null || echo n/a)"
READY_AFTER_WAIT="$(curl -s "http://127.0.0.1:$GW_PORT/health/readiness" || true)"
log "gateway RSS ${AFTER_WAIT} s after load: ${RSS_AFTER_WAIT} MB"

# ---------------------------------------------------------------- streaming
WAVES=$(( (STREAMS + 399) / 400 ))
STREAM_TIMEOUT_MS=$(( (STREAM_SECS + 5) * 1000 * WAVES + 15000 )) # the measured round; warm-up comes before
# stream_run LABEL URL KEY MODEL: results in R[LABEL.ttft_p99_us] ...
stream_run() {
  local label="$1" url="$2" key="$3" model="$4" out="$WORK/streams-$1.txt"
  log "streams $label: $STREAMS concurrent, a chunk every ${CHUNK_MS} ms for ${STREAM_SECS} s"
  run_wait "${JTOOL[@]}" -Xms256m -Xmx1g -cp "$CP" StreamClient "$url" "$STREAMS" "$RAMP_MS" "$STREAM_TIMEOUT_MS" "$key" "$model" "$STREAM_WARM_ROUNDS" >"$out" 2>&1 \
    || die "the stream client failed for $label: $(tail -n 5 "$out")"
  local line kv
  line="$(grep '^RESULT ' "$out")" || die "the stream client printed no result for $label: $(tail -n 5 "$out")"
  for kv in ${line#RESULT }; do R["$label.${kv%%=*}"]="${kv#*=}"; done
  grep -v '^RESULT ' "$out" | head -n 5 | sed "s/^/[$label] /" >&2 || true
}
log "phase: streaming"
stream_run sdirect "http://127.0.0.1:$SSE_PORT/v1/chat/completions" sk-upstream gpt-4o-mini
(
  max=0
  while kill -0 "$GW_PID" 2>/dev/null; do
    r="$(awk '/^VmRSS/ {print $2}' "/proc/$GW_PID/status" 2>/dev/null || echo 0)"
    ((r > max)) && max=$r && echo "$max" >"$WORK/stream-rss-max"
    sleep 0.5
  done
) &
SAMPLER_PID=$!
PIDS+=("$SAMPLER_PID")
stream_run sgw "$GW_URL" "$MASTER_KEY" bench-sse
kill "$SAMPLER_PID" 2>/dev/null || true
RSS_STREAM_PEAK="$(awk '{printf "%.1f", $1 / 1024}' "$WORK/stream-rss-max" 2>/dev/null || echo n/a)"
sleep 1
RSS_STREAM_AFTER="$(rss_mb "$GW_PID")"
STREAM_LOG_ERRORS="$(grep -cE ' (ERROR|WARN) ' "$WORK/gateway.log" || true)"

# ---------------------------------------------------------------- stop the gateway, then time launches
log "stopping the gateway (SIGTERM)"
t0=$(date +%s%N)
kill -TERM "$GW_PID" 2>/dev/null || true
for ((i = 0; i < 3000; i++)); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.01; done
SHUTDOWN_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
if kill -0 "$GW_PID" 2>/dev/null; then
  log "gateway still running 30 s after SIGTERM; killing it"
  kill -KILL "$GW_PID" 2>/dev/null || true
  SHUTDOWN_MS=">30000 (killed)"
fi
wait "$GW_PID" 2>/dev/null || true
log "gateway exited ${SHUTDOWN_MS} ms after SIGTERM"

log "phase: launch to ready ($LAUNCH_RUNS run(s) via ./ai-gateway, then the same java command directly)"
(cd "$WORK" && exec "${gateway_env[@]}" "${JTOOL[@]}" -cp "$CP" LaunchTimer "$LAUNCH_RUNS" "$WORK/launch.pids" "$WORK" --also-java \
  -- "$ROOT/ai-gateway" run --port '{port}') >"$WORK/launch.txt" 2>&1 &
LT_PID=$!
PIDS+=("$LT_PID")
wait "$LT_PID" || die "launch timing failed: $(tail -n 5 "$WORK/launch.txt")"
LAUNCH_LAUNCHER="$(awk '/^LAUNCH kind=launcher/ {split($4, a, "="); printf "%s ", a[2]}' "$WORK/launch.txt")"
LAUNCH_JAVA="$(awk '/^LAUNCH kind=java/ {split($4, a, "="); printf "%s ", a[2]}' "$WORK/launch.txt")"
LAUNCH_EXIT="$(awk '/^LAUNCH/ {split($5, a, "="); printf "%s ", a[2]}' "$WORK/launch.txt")"
[[ -n "$LAUNCH_LAUNCHER" ]] || die "launch timing printed nothing: $(tail -n 5 "$WORK/launch.txt")"
LAUNCH_MEDIAN="$(echo "$LAUNCH_LAUNCHER" | median)"
LAUNCH_JAVA_MEDIAN="$(echo "$LAUNCH_JAVA" | median)"

# ---------------------------------------------------------------- report
ok_le() { # value target -> PASS / MISS / n/a
  [[ "$1" =~ ^-?[0-9.]+$ ]] || { echo "n/a"; return; }
  awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 <= t + 0 ? "PASS" : "MISS") }'
}
ok_ge() {
  [[ "$1" =~ ^-?[0-9.]+$ ]] || { echo "n/a"; return; }
  awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 >= t + 0 ? "PASS" : "MISS") }'
}
f0() { [[ "$1" =~ ^-?[0-9.]+$ ]] && awk -v v="$1" 'BEGIN { printf "%.0f", v }' || echo "${1:-n/a}"; }
ms() { [[ "$1" =~ ^-?[0-9.]+$ ]] && awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }' || echo "${1:-n/a}"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.1f%%", 100 * a / b }'; }

ADD_P50=$((R[gw_c1.p50_us] - R[direct_c1.p50_us]))
ADD_P99=$((R[gw_c1.p99_us] - R[direct_c1.p99_us]))
TTFT_ADD_P99=$((R[sgw.ttft_p99_us] - R[sdirect.ttft_p99_us]))
TTFT_ADD_P50=$((R[sgw.ttft_p50_us] - R[sdirect.ttft_p50_us]))
UTC_NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
CPU_MODEL="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
MEM_TOTAL="$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
MODE="full"
((QUICK)) && MODE="quick"

report() {
  cat <<EOF
# AI Gateway benchmark, $UTC_NOW

- Command: \`$COMMAND\` ($MODE mode: ${DURATION} s per wrk phase, ${WARM} s gateway warm-up, RSS ${AFTER_WAIT} s after load, $LAUNCH_RUNS launch run(s), $STREAMS streams x ${STREAM_SECS} s)
- Machine: $(nproc) cores, ${CPU_MODEL:-unknown CPU}, $MEM_TOTAL memory, Linux $(uname -r); load average at start: $LOAD_AT_START
- JDK (gateway): $GW_JDK
- Gateway: ${GW_VERSION:-?} via \`./ai-gateway run\` (launcher defaults, resource profile $PROFILE, SQLite, master key, spend logging on); upstream: nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') (worker_processes 1) returning a fixed chat.completion; load: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)
- Everything (load generator, upstream, gateway) shares this machine. The figures are information: PASS/MISS is against the targets of issue 4 and fails nothing.

## Latency and throughput (wrk, non-streaming)

| Scenario | Direct (nginx) | Gateway | Added / share | Target | Result |
|---|---:|---:|---:|---|---|
| c=1 latency p50 (us) | ${R[direct_c1.p50_us]} | ${R[gw_c1.p50_us]} | +$ADD_P50 | added <= 60 us | $(ok_le "$ADD_P50" 60) |
| c=1 latency p99 (us) | ${R[direct_c1.p99_us]} | ${R[gw_c1.p99_us]} | +$ADD_P99 | added <= 250 us | $(ok_le "$ADD_P99" 250) |
| c=1 throughput (req/s) | $(f0 "${R[direct_c1.rps]}") | $(f0 "${R[gw_c1.rps]}") | $(pct "${R[gw_c1.rps]}" "${R[direct_c1.rps]}") | | |
| c=64 throughput (req/s) | $(f0 "${R[direct_c64.rps]}") | $(f0 "${R[gw_c64.rps]}") | $(pct "${R[gw_c64.rps]}" "${R[direct_c64.rps]}") | >= 20x Portkey (below) | |
| c=64 latency p99 (us) | ${R[direct_c64.p99_us]} | ${R[gw_c64.p99_us]} | +$((R[gw_c64.p99_us] - R[direct_c64.p99_us])) | | |
| ${LARGE_KB} KB body, c=$LARGE_C, throughput (req/s) | $(f0 "${R[direct_large.rps]}") | $(f0 "${R[gw_large.rps]}") | $(pct "${R[gw_large.rps]}" "${R[direct_large.rps]}") | | |
| ${LARGE_KB} KB body, c=$LARGE_C, latency p99 (us) | ${R[direct_large.p99_us]} | ${R[gw_large.p99_us]} | +$((R[gw_large.p99_us] - R[direct_large.p99_us])) | | |
| errors (connect/read/write/status/timeout) | $((R[direct_c1.errors] + R[direct_c64.errors] + R[direct_large.errors])) | $((R[gw_c1.errors] + R[gw_c64.errors] + R[gw_large.errors])) | | 0 | $(ok_le $((R[gw_c1.errors] + R[gw_c64.errors] + R[gw_large.errors])) 0) |

wrk 4 applies its coordinated-omission correction to the percentiles: a stall of the load generator or of the
server (scheduling on a busy machine, a GC pause) adds synthetic samples, so p99 at c=1 is sensitive to any pause.

## Portkey side by side

Portkey: $PK_STATUS
EOF
  if ((PK_RAN)); then
    local pk_add50=$((R[pk_c1.p50_us] - R[direct_c1.p50_us])) pk_add99=$((R[pk_c1.p99_us] - R[direct_c1.p99_us]))
    local ratio
    ratio="$(awk -v g="${R[gw_c64.rps]}" -v p="${R[pk_c64.rps]}" 'BEGIN { if (p + 0 == 0) print "n/a"; else printf "%.1f", g / p }')"
    cat <<EOF

| Scenario | Portkey | Gateway | Gateway vs Portkey | Target | Result |
|---|---:|---:|---:|---|---|
| c=64 throughput (req/s) | $(f0 "${R[pk_c64.rps]}") | $(f0 "${R[gw_c64.rps]}") | ${ratio}x | >= 20x | $(ok_ge "$ratio" 20) |
| c=64 latency p99 (us) | ${R[pk_c64.p99_us]} | ${R[gw_c64.p99_us]} | $(awk -v g="${R[gw_c64.p99_us]}" -v p="${R[pk_c64.p99_us]}" 'BEGIN { if (g + 0 == 0) print "n/a"; else printf "%.1fx lower", p / g }') | | |
| c=1 added latency p50 (us) | +$pk_add50 | +$ADD_P50 | $(awk -v g="$ADD_P50" -v p="$pk_add50" 'BEGIN { if (g + 0 <= 0) print "n/a"; else printf "%.1fx lower", p / g }') | | |
| c=1 added latency p99 (us) | +$pk_add99 | +$ADD_P99 | $(awk -v g="$ADD_P99" -v p="$pk_add99" 'BEGIN { if (g + 0 <= 0) print "n/a"; else printf "%.1fx lower", p / g }') | | |
| c=1 throughput (req/s) | $(f0 "${R[pk_c1.rps]}") | $(f0 "${R[gw_c1.rps]}") | $(awk -v g="${R[gw_c1.rps]}" -v p="${R[pk_c1.rps]}" 'BEGIN { if (p + 0 == 0) print "n/a"; else printf "%.1fx", g / p }') | | |
| RSS idle / after load (MB) | ${R[pk.rss_idle]} / ${R[pk.rss_after]} | $RSS_IDLE / $RSS_AFTER | | | |
| errors | $((R[pk_c1.errors] + R[pk_c64.errors])) | $((R[gw_c1.errors] + R[gw_c64.errors])) | | | |
EOF
  fi
  cat <<EOF

## Memory (gateway VmRSS)

| When | RSS (MB) | Target | Result |
|---|---:|---|---|
| idle (2 s after ready) | $RSS_IDLE | <= 100 MB | $(ok_le "$RSS_IDLE" 100) |
| right after load | $RSS_AFTER | <= 256 MB | $(ok_le "$RSS_AFTER" 256) |
| ${AFTER_WAIT} s after load | $RSS_AFTER_WAIT | <= 256 MB | $(ok_le "$RSS_AFTER_WAIT" 256) |
| peak during $STREAMS streams | $RSS_STREAM_PEAK | <= 256 MB | $(ok_le "$RSS_STREAM_PEAK" 256) |
| 1 s after the streams | $RSS_STREAM_AFTER | | |

Spend queue (readiness) right after load: $(echo "$READY_AFTER" | grep -o '"spend_queue":{[^}]*}' || echo n/a); ${AFTER_WAIT} s later: $(echo "$READY_AFTER_WAIT" | grep -o '"spend_queue":{[^}]*}' || echo n/a)

## Start-up (exec to first 200 on /health/readiness, polled every 10 ms)

| Launch | Runs (ms) | Median (ms) | Target | Result |
|---|---|---:|---|---|
| \`./ai-gateway run\` (launcher script + JVM) | $LAUNCH_LAUNCHER | $LAUNCH_MEDIAN | <= 1500 ms | $(ok_le "$LAUNCH_MEDIAN" 1500) |
| the java command the launcher execs (launcher cost excluded) | $LAUNCH_JAVA | $LAUNCH_JAVA_MEDIAN | | |
| first start in a fresh directory (creates the SQLite DB; polled with curl) | $FIRST_START_MS | | | |

Exit after SIGTERM (ms): after the load and stream phases $SHUTDOWN_MS; idle, after each timed launch: $LAUNCH_EXIT

## Streaming ($STREAMS concurrent SSE streams, a chunk every ${CHUNK_MS} ms for ${STREAM_SECS} s, opened over ${RAMP_MS} ms)

| Measure | Direct (SseUpstream) | Gateway | Added | Target | Result |
|---|---:|---:|---:|---|---|
| time to first token p50 (ms) | $(ms "${R[sdirect.ttft_p50_us]}") | $(ms "${R[sgw.ttft_p50_us]}") | $(ms "$TTFT_ADD_P50") | | |
| time to first token p99 (ms) | $(ms "${R[sdirect.ttft_p99_us]}") | $(ms "${R[sgw.ttft_p99_us]}") | $(ms "$TTFT_ADD_P99") | added <= 5 ms | $(ok_le "$TTFT_ADD_P99" 5000) |
| time to first token max (ms) | $(ms "${R[sdirect.ttft_max_us]}") | $(ms "${R[sgw.ttft_max_us]}") | | | |
| inter-chunk gap p50 (ms) | $(ms "${R[sdirect.gap_p50_us]}") | $(ms "${R[sgw.gap_p50_us]}") | | | |
| inter-chunk gap p99 (ms) | $(ms "${R[sdirect.gap_p99_us]}") | $(ms "${R[sgw.gap_p99_us]}") | $(ms $((R[sgw.gap_p99_us] - R[sdirect.gap_p99_us]))) | | |
| chunk delivery latency p50 (ms) | $(ms "${R[sdirect.lat_p50_us]}") | $(ms "${R[sgw.lat_p50_us]}") | $(ms $((R[sgw.lat_p50_us] - R[sdirect.lat_p50_us]))) | | |
| chunk delivery latency p99 (ms) | $(ms "${R[sdirect.lat_p99_us]}") | $(ms "${R[sgw.lat_p99_us]}") | $(ms $((R[sgw.lat_p99_us] - R[sdirect.lat_p99_us]))) | | |
| streams completed / errors | ${R[sdirect.ok]} / ${R[sdirect.errors]} | ${R[sgw.ok]} / ${R[sgw.errors]} | | no errors | $(ok_le "${R[sgw.errors]}" 0) |
| chunks received | ${R[sdirect.chunks]} | ${R[sgw.chunks]} | | | |
| wall time for all streams (s) | $(awk -v v="${R[sdirect.wall_ms]}" 'BEGIN { printf "%.1f", v / 1000 }') | $(awk -v v="${R[sgw.wall_ms]}" 'BEGIN { printf "%.1f", v / 1000 }') | | | |

Gateway RSS during the streams: peak $RSS_STREAM_PEAK MB. Gateway log lines at WARN/ERROR over the whole run: $STREAM_LOG_ERRORS.
Each stream holds one upstream HTTP/1.1 connection; the gateway's pool allows 4,096 per upstream host
(GATEWAY_UPSTREAM_POOL_SIZE), and waiting for one counts against the deployment's timeouts.
EOF
}

mkdir -p "$ROOT/bench/results"
RESULT_FILE="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ).md"
report | tee "$RESULT_FILE"
log "results written to ${RESULT_FILE#"$ROOT"/}"
