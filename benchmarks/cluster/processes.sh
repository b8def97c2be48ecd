# Sourced by run.sh and nginx-check.sh: what both need to start and stop their servers.

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Stops one child started by this script: waits up to 15 s after a signal sent before (the nodes
# drain), then SIGKILL, then reaps it.
await_stopped() {
  local p="$1"
  for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null
}
