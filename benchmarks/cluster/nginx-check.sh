#!/usr/bin/env bash
# Manual check of deploy/nginx/relay-cluster.conf on one machine, loopback only: a redis-server,
# two relay nodes (redis mode, trusting 127.0.0.1 as proxy) and nginx with a copy of the config
# whose upstream names are replaced by the nodes' local ports; then nginx-check.mjs sends two
# players through nginx and the nodes' logs tell where each landed. Everything it started is
# stopped by PID at the end. Needs nginx, redis-server, node 20+ and target/relay.jar.
#   benchmarks/cluster/nginx-check.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jar="$repo/target/relay.jar"
work="$(mktemp -d /tmp/nginx-check.XXXXXX)"
. "$here/processes.sh"
pids=()
stop_all() {
  local p
  [ -f "$work/nginx.pid" ] && kill -QUIT "$(cat "$work/nginx.pid")" 2>/dev/null
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    await_stopped "$p"
  done
  pids=()
}
trap stop_all EXIT

rport=$(free_port); p1=$(free_port); p2=$(free_port); np=$(free_port)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --logfile "$work/redis.log" &
pids+=("$!")
for n in 1 2; do
  port=$([ "$n" = 1 ] && echo "$p1" || echo "$p2")
  env RELAY_CLUSTER_MODE=redis REDIS_URI="redis://127.0.0.1:$rport" RELAY_CLUSTER_NODE_ID="relay-$n" \
      RELAY_JWT_SECRET=nginx-check-secret-0123456789-abcdefghij RELAY_TRUSTED_PROXIES=127.0.0.1 \
    java -XX:+UseSerialGC -Xmx256m -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$port" -jar "$jar" \
    >"$work/relay-$n.log" 2>&1 </dev/null &
  pids+=("$!")
done
for port in "$p1" "$p2"; do
  for _ in $(seq 1 600); do curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health/readiness" && break; sleep 0.1; done
done
sed -e "s/relay-1:8080/127.0.0.1:$p1/; s/relay-2:8080/127.0.0.1:$p2/; s/listen 80;/listen 127.0.0.1:$np;/" \
  "$repo/deploy/nginx/relay-cluster.conf" >"$work/nginx.conf"
nginx -t -q -c "$work/nginx.conf" -g "pid $work/nginx.pid; error_log $work/nginx-error.log;" || exit 1
nginx -c "$work/nginx.conf" -g "pid $work/nginx.pid; error_log $work/nginx-error.log;"  # daemonizes
sleep 0.5
echo "nginx-check: nginx 127.0.0.1:$np -> relay-1 127.0.0.1:$p1, relay-2 127.0.0.1:$p2 (logs in $work)"
echo "nginx-check: /health/readiness through nginx: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$np/health/readiness")"
echo "nginx-check: /prometheus through nginx: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$np/prometheus") (403 expected)"
node --experimental-websocket "$here/nginx-check.mjs" "http://127.0.0.1:$np" nginx-check 2>&1 | grep -v ExperimentalWarning
rc=${PIPESTATUS[0]}
sleep 0.5
for n in 1 2; do
  echo "nginx-check: relay-$n: $(grep -o 'ConnectionOpener - connected universe=nginx-check .*' "$work/relay-$n.log" | tr '\n' ';')"
done
# a client-supplied X-Forwarded-For hop is kept by nginx ($proxy_add_x_forwarded_for) and, since
# nginx (127.0.0.1) is trusted, the relay sees the nearest untrusted hop as the client
tok=$(curl -s -XPOST "http://127.0.0.1:$np/api/login" -H 'Content-Type: application/json' -d '{"name":"xff"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
curl -s -o /dev/null --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
  -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Protocol: relay.v1.json' \
  -H 'X-Forwarded-For: 198.51.100.7' "http://127.0.0.1:$np/ws/universes/xff-check?access_token=$tok"
sleep 0.5
echo "nginx-check: handshake with X-Forwarded-For 198.51.100.7 logged as: $(grep -ho 'ConnectionOpener - connected universe=xff-check .*' "$work"/relay-*.log)"
exit "$rc"
