# Prometheus for the metric-gate and monitoring tests; sourced by scripts/test-services.sh.
#
# Listens on 127.0.0.1:19090 with --web.enable-lifecycle (so POST /-/reload works), scrapes every
# second the test service that the tests start on 127.0.0.1:19100, and loads rule files from
# $STATE/prometheus/rules/*.yml (the temporary alert rules the tests write). Writes
# $STATE/prometheus.env with PROMETHEUS_URL and PROMETHEUS_RULES_DIR.

PROMETHEUS_ADDR=127.0.0.1:19090
PROMETHEUS_TARGET=127.0.0.1:19100

prometheus_start() {
  need_packages prometheus:prometheus curl:curl
  local dir="$STATE/prometheus"
  mkdir -p "$dir/rules" "$dir/data"
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null \
      && curl -fsS "http://$PROMETHEUS_ADDR/-/ready" >/dev/null 2>&1; then
    echo "prometheus already running (pid $(cat "$dir/pid")) on $PROMETHEUS_ADDR"
    prometheus_write_env "$dir"
    return 0
  fi
  if curl -fsS "http://$PROMETHEUS_ADDR/-/ready" >/dev/null 2>&1; then
    echo "a Prometheus that this checkout did not start already answers on $PROMETHEUS_ADDR (another checkout's?):" \
      "its rule_files do not point at $dir/rules; stop it with that checkout's scripts/test-services.sh stop" >&2
    return 1
  fi
  cat >"$dir/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $dir/rules/*.yml
scrape_configs:
  - job_name: rollback-test-service
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['$PROMETHEUS_TARGET']
YML
  # Separate from any instance the Debian package may start on :9090: own port, own data.
  nohup prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="$PROMETHEUS_ADDR" --web.enable-lifecycle \
    >"$dir/prometheus.log" 2>&1 &
  echo $! >"$dir/pid"
  local i
  for i in $(seq 1 60); do
    if curl -fsS "http://$PROMETHEUS_ADDR/-/ready" >/dev/null 2>&1; then
      echo "prometheus ready on $PROMETHEUS_ADDR (pid $(cat "$dir/pid")): $(prometheus --version 2>&1 | head -1)"
      prometheus_write_env "$dir"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      echo "prometheus exited at start; the end of its log:" >&2
      tail -n 30 "$dir/prometheus.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "prometheus did not become ready on $PROMETHEUS_ADDR within 30 s; the end of its log:" >&2
  tail -n 30 "$dir/prometheus.log" >&2
  return 1
}

prometheus_write_env() {
  printf 'PROMETHEUS_URL=http://%s\nPROMETHEUS_RULES_DIR=%s\n' "$PROMETHEUS_ADDR" "$1/rules" >"$STATE/prometheus.env"
}

prometheus_stop() {
  local dir="$STATE/prometheus"
  if [ -f "$dir/pid" ]; then
    local pid i
    pid=$(cat "$dir/pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for i in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    fi
    rm -f "$dir/pid"
  fi
  rm -f "$STATE/prometheus.env"
}
