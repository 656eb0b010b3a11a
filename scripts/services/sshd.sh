# Three OpenSSH servers standing in for three hosts of a rolling deploy; sourced by
# scripts/test-services.sh.
#
# Listens on 127.0.0.1:12222, :12223 and :12224, each with its own host keys (ed25519 and
# ecdsa-sha2-nistp256, like a stock Debian host) and its own "host folder" $STATE/sshd/host<N>/
# (the release root the tests prepare). One client key pair, generated here
# ($STATE/sshd/client_key, ECDSA P-256), is authorized on all three; root may log in with a key
# only. $STATE/sshd/known_hosts lists every host key as "[127.0.0.1]:<port> ssh-ed25519 ..." and
# "[127.0.0.1]:<port> ecdsa-sha2-nistp256 ...".
#
# Why ECDSA next to ed25519: Apache MINA SSHD needs an extra EdDSA provider (Bouncy Castle or
# net.i2p eddsa) for ed25519 keys; with ECDSA, which the JDK supports, the tests run on the
# module's own dependencies whichever type the client negotiates.
# Writes $STATE/sshd.env with SSHD_PORTS, SSHD_USER, SSHD_CLIENT_KEY, SSHD_KNOWN_HOSTS and
# SSHD_HOST1..3 (the host folders).

SSHD_PORTS=(12222 12223 12224)
SSHD_BIN=/usr/sbin/sshd

sshd_start() {
  need_packages "$SSHD_BIN:openssh-server" ssh-keygen:openssh-client
  if ! [ -x "$SSHD_BIN" ]; then
    echo "$SSHD_BIN is missing after installing openssh-server" >&2
    return 1
  fi
  local dir="$STATE/sshd"
  mkdir -p "$dir" /run/sshd
  chmod 700 "$dir"
  if ! grep -q '^ecdsa-sha2-nistp256 ' "$dir/client_key.pub" 2>/dev/null; then
    rm -f "$dir/client_key" "$dir/client_key.pub"
    ssh-keygen -q -t ecdsa -b 256 -N '' -C rollback-test-client -f "$dir/client_key"
  fi
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys"
  : >"$dir/known_hosts.new"
  local n=0 port
  for port in "${SSHD_PORTS[@]}"; do
    n=$((n + 1))
    mkdir -p "$dir/host$n"
    [ -f "$dir/host_key_$n" ] || ssh-keygen -q -t ed25519 -N '' -C "rollback-test-host$n" -f "$dir/host_key_$n"
    [ -f "$dir/host_ecdsa_key_$n" ] || ssh-keygen -q -t ecdsa -b 256 -N '' -C "rollback-test-host$n" -f "$dir/host_ecdsa_key_$n"
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/host_key_$n.pub")" >>"$dir/known_hosts.new"
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/host_ecdsa_key_$n.pub")" >>"$dir/known_hosts.new"
  done
  mv "$dir/known_hosts.new" "$dir/known_hosts"
  n=0
  for port in "${SSHD_PORTS[@]}"; do
    n=$((n + 1))
    local pidfile="$dir/sshd_$n.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && sshd_port_open "$port"; then
      echo "sshd host$n already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"
      continue
    fi
    if sshd_port_open "$port"; then
      echo "something that this checkout did not start already listens on 127.0.0.1:$port (another checkout's sshd?);" \
        "stop it with that checkout's scripts/test-services.sh stop" >&2
      return 1
    fi
    "$SSHD_BIN" -f /dev/null -p "$port" -E "$dir/sshd_$n.log" \
      -o ListenAddress=127.0.0.1 -o HostKey="$dir/host_key_$n" -o HostKey="$dir/host_ecdsa_key_$n" \
      -o AuthorizedKeysFile="$dir/authorized_keys" -o PidFile="$pidfile" \
      -o StrictModes=no -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no \
      -o KbdInteractiveAuthentication=no -o UsePAM=no -o MaxStartups=50:30:100 -o MaxSessions=50
    local i ok=0
    for i in $(seq 1 50); do
      if sshd_port_open "$port"; then ok=1; break; fi
      sleep 0.2
    done
    if [ "$ok" != 1 ]; then
      echo "sshd host$n did not listen on 127.0.0.1:$port within 10 s; the end of its log:" >&2
      tail -n 30 "$dir/sshd_$n.log" >&2 || true
      return 1
    fi
    echo "sshd host$n ready on 127.0.0.1:$port (pid $(cat "$pidfile")), release root $dir/host$n"
  done
  {
    printf 'SSHD_PORTS=%s\n' "$(IFS=,; echo "${SSHD_PORTS[*]}")"
    printf 'SSHD_USER=%s\n' "$(id -un)"
    printf 'SSHD_CLIENT_KEY=%s\n' "$dir/client_key"
    printf 'SSHD_KNOWN_HOSTS=%s\n' "$dir/known_hosts"
    printf 'SSHD_HOST1=%s\nSSHD_HOST2=%s\nSSHD_HOST3=%s\n' "$dir/host1" "$dir/host2" "$dir/host3"
  } >"$STATE/sshd.env"
}

# sshd_port_open PORT: whether something accepts TCP on 127.0.0.1:PORT (bash's /dev/tcp, 1 s).
sshd_port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

sshd_stop() {
  local dir="$STATE/sshd" n pidfile pid i
  for n in 1 2 3; do
    pidfile="$dir/sshd_$n.pid"
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      # The listener's pid; its session children exit with their connections.
      kill "$pid"
      for i in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
      done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    fi
    rm -f "$pidfile"
  done
  rm -f "$STATE/sshd.env"
}
