#!/usr/bin/env bash
# Checks the deployment files with the real tools, as far as this machine has them:
#   compose    docker compose config (or Debian's docker-compose): base file and each resource profile
#   nginx      nginx -t on nginx.conf (upstream names pointed at 127.0.0.1, temporary prefix)
#   kustomize  kubectl kustomize k8s/ renders every object of the base
#   systemd    systemd-analyze verify systemd/ai-gateway.service (paths pointed at this checkout)
#   docker     Dockerfile and entry point: non-root user, healthcheck, port, and the launcher's JVM flags
# Usage: deploy/validate.sh [check...]   (default: all)
# A missing tool is SKIPPED, loudly, never passed silently. Exit: 0 when no check failed; 1 when one did;
# 77 when the only check asked for was skipped (so a test runner can report it as skipped).
set -uo pipefail
DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$DEPLOY")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

passed=() failed=() skipped=()
pass() { passed+=("$1"); echo "PASS  $1"; }
fail() { failed+=("$1"); echo "FAIL  $1: $2" >&2; }
skip() {
  skipped+=("$1")
  echo "!!!!! SKIPPED $1: $2" >&2
  echo "!!!!! (not validated on this machine; install it to check: $3)" >&2
}

# Values a real .env would have (setup writes them); the rendered files must carry them through unchanged.
cat > "$TMP/test.env" <<'ENV'
GATEWAY_MASTER_KEY=sk-validate-master-0123456789abcdefghijklmnopqrstuvwxyz
GATEWAY_SALT_KEY=validate-salt-0123456789abcdef
POSTGRES_PASSWORD=validate-pg-password
VIRTUAL_KEY=sk-validate-virtual-0123456789abcdefghijklmnopqrstuvwx
ENV

check_compose() {
  local compose=()
  if docker compose version >/dev/null 2>&1; then compose=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose)
  else skip compose "neither 'docker compose' nor 'docker-compose' is installed" "apt-get install docker-compose"; return; fi
  local out
  for overlay in "" small medium large; do
    local files=(-f "$DEPLOY/docker-compose.yml") name="docker-compose.yml"
    if [[ -n "$overlay" ]]; then files+=(-f "$DEPLOY/docker-compose.$overlay.yml"); name+=" + docker-compose.$overlay.yml"; fi
    if ! out=$("${compose[@]}" -p ai-gateway --env-file "$TMP/test.env" "${files[@]}" config 2>&1); then
      fail compose "$name: $out"; return
    fi
    for want in "container_name: litellm-proxy" "container_name: litellm-postgres" "container_name: open-webui" \
        "container_name: litellm-nginx" "litellm-network" "OPENAI_API_BASE_URL: http://litellm:4000/v1" \
        "OPENAI_API_KEY: sk-validate-virtual-0123456789abcdefghijklmnopqrstuvwx" \
        "GATEWAY_MASTER_KEY: sk-validate-master-0123456789abcdefghijklmnopqrstuvwxyz" \
        "DATABASE_URL: postgresql://litellm:validate-pg-password@postgres:5432/litellm" \
        "GATEWAY_TRUSTED_PROXIES: 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16" \
        "- 127.0.0.1:4000:4000"; do
      grep -qF -- "$want" <<<"$out" || { fail compose "$name: rendered file lacks '$want'"; return; }
    done
    [[ $(grep -c "healthcheck:" <<<"$out") -ge 4 ]] || { fail compose "$name: every service needs a healthcheck"; return; }
    if [[ -n "$overlay" ]]; then
      grep -qF "GATEWAY_RESOURCE_PROFILE: $overlay" <<<"$out" || { fail compose "$name: profile not applied"; return; }
      grep -q "mem_limit" <<<"$out" || { fail compose "$name: no memory limits"; return; }
    fi
  done
  pass "compose (${compose[*]} config: base + small/medium/large)"
}

check_nginx() {
  command -v nginx >/dev/null 2>&1 || { skip nginx "nginx is not installed" "apt-get install nginx"; return; }
  mkdir -p "$TMP/nginx/logs"
  sed -e 's/server litellm:4000;/server 127.0.0.1:4000;/' -e 's/server open-webui:8080;/server 127.0.0.1:8080;/' \
      -e "s|/var/log/nginx/access.log|$TMP/nginx/logs/access.log|" "$DEPLOY/nginx.conf" > "$TMP/nginx/nginx.conf"
  local mime
  for mime in /etc/nginx/mime.types /usr/local/nginx/conf/mime.types; do [[ -f "$mime" ]] && break; done
  if [[ -f "$mime" ]]; then cp "$mime" "$TMP/nginx/mime.types"; else echo "types {}" > "$TMP/nginx/mime.types"; fi
  local out
  if out=$(nginx -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g "pid $TMP/nginx/nginx.pid; error_log $TMP/nginx/logs/error.log;" 2>&1); then
    for want in "proxy_buffering off" "proxy_http_version 1.1" "proxy_read_timeout" "location /api/litellm/" "proxy_pass http://gateway/;"; do
      grep -qF "$want" "$DEPLOY/nginx.conf" || { fail nginx "nginx.conf lacks '$want'"; return; }
    done
    pass "nginx (nginx -t)"
  else
    fail nginx "$out"
  fi
}

check_kustomize() {
  local render=()
  if command -v kubectl >/dev/null 2>&1; then render=(kubectl kustomize)
  elif command -v kustomize >/dev/null 2>&1; then render=(kustomize build)
  else skip kustomize "neither kubectl nor kustomize is installed" "apt-get install kubectl (where packaged) or kustomize"; return; fi
  local out
  if ! out=$("${render[@]}" "$DEPLOY/k8s" 2>&1); then fail kustomize "$out"; return; fi
  for kind in ConfigMap Secret Service Deployment StatefulSet PodDisruptionBudget; do
    grep -q "^kind: $kind\$" <<<"$out" || { fail kustomize "no $kind rendered"; return; }
  done
  for want in "path: /health/readiness" "path: /health/liveliness" "image: redis:" "image: postgres:" "runAsNonRoot: true"; do
    grep -qF "$want" <<<"$out" || { fail kustomize "rendered manifests lack '$want'"; return; }
  done
  pass "kustomize (${render[*]} k8s/)"
}

check_systemd() {
  command -v systemd-analyze >/dev/null 2>&1 || { skip systemd "systemd-analyze is not installed" "apt-get install systemd"; return; }
  # The unit names the install paths; point ExecStart at this checkout's launcher so the executable check is real.
  sed -e "s|^ExecStart=/opt/ai-gateway/ai-gateway |ExecStart=$ROOT/ai-gateway |" "$DEPLOY/systemd/ai-gateway.service" > "$TMP/ai-gateway.service"
  local out
  if out=$(systemd-analyze verify "$TMP/ai-gateway.service" 2>&1) && [[ -z "$out" ]]; then
    for want in "Type=simple" "KillSignal=SIGTERM" "TimeoutStopSec=45" "Restart=on-failure" "User=ai-gateway" "NoNewPrivileges=yes"; do
      grep -qxF "$want" "$DEPLOY/systemd/ai-gateway.service" || { fail systemd "unit lacks '$want'"; return; }
    done
    pass "systemd (systemd-analyze verify)"
  else
    fail systemd "${out:-systemd-analyze verify failed}"
  fi
}

check_docker() {
  local df="$DEPLOY/Dockerfile" ep="$DEPLOY/docker-entrypoint.sh"
  for want in "FROM maven:3.9-eclipse-temurin-21 AS build" "FROM eclipse-temurin:21-jre" "USER 10001:10001" "EXPOSE 4000" \
      "HEALTHCHECK" "/health/liveliness" 'CMD ["run", "--host", "0.0.0.0"]'; do
    grep -qF -- "$want" "$df" || { fail docker "Dockerfile lacks '$want'"; return; }
  done
  sh -n "$ep" || { fail docker "docker-entrypoint.sh has a syntax error"; return; }
  # The entry point must give the JVM the launcher's flags (same values), and the same heap per profile.
  # (Not -Xlog:aot=off: JDK 21's JVM refuses that tag, and the image runs JDK 21.)
  local flag
  for flag in $(sed -n '/^JVM_OPTS=(/,/^)/p' "$ROOT/ai-gateway" | tr ' ' '\n' | grep -E '^-' | grep -vE 'SharedArchiveFile|Xlog:aot'); do
    grep -qF -- "$flag" "$ep" || { fail docker "docker-entrypoint.sh lacks the launcher's $flag"; return; }
  done
  local profile
  for profile in medium large '\*'; do
    local l e
    l=$(grep -E "^ *$profile\) +HEAP=" "$ROOT/ai-gateway" | sed 's/.*HEAP=//')
    e=$(grep -E "^ *$profile\) +HEAP=" "$ep" | sed 's/.*HEAP=//')
    [[ -n "$l" && "$l" == "$e" ]] || { fail docker "profile $profile: launcher HEAP=$l, entry point HEAP=$e"; return; }
  done
  if command -v hadolint >/dev/null 2>&1; then hadolint "$df" || { fail docker "hadolint"; return; }; fi
  pass "docker (Dockerfile and entry point; image not built: no Docker engine here)"
}

checks=("$@")
[[ ${#checks[@]} -eq 0 ]] && checks=(compose nginx kustomize systemd docker)
for c in "${checks[@]}"; do
  case "$c" in
    compose|nginx|kustomize|systemd|docker) "check_$c" ;;
    *) echo "unknown check '$c' (compose, nginx, kustomize, systemd, docker)" >&2; exit 2 ;;
  esac
done

echo "deploy/validate.sh summary: passed ${#passed[@]}, failed ${#failed[@]}, skipped ${#skipped[@]}${skipped[*]:+ (${skipped[*]})}"
(( ${#failed[@]} > 0 )) && exit 1
(( ${#checks[@]} == 1 && ${#skipped[@]} == 1 )) && exit 77
exit 0
