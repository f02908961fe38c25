#!/usr/bin/env bash
# Records the real-world corpus the `fields` conformance suite compares with sysdig 0.29: one capture
# per workload in workloads/*.sh, recorded with this project's live driver (`scap capture`) and cut
# down to the workload's process tree (rules/captures/scrub-capture.js). Run as root after
# `pnpm build`:
#
#   bash tools/conformance/corpus/record.sh [NAME...]     # default: every workload
#
# Each workload runs in its own UTS, mount and network namespaces: hostname `fidelity-corpus`, only
# a loopback interface (IPv4 and IPv6), the checkout at /opt/falco-ts, a resolver pointing at a
# DNS server the workload may start on 127.0.0.1, a `corpus` user (uid 1500) for non-root logins,
# and an empty environment apart from PATH and HOME. A workload script defines `main` (recorded)
# (recorded, run three times) and optionally `before` (started before the capture, so its
# processes are in the capture's process table rather than created by clone events) and `after`
# (stops what `before` started).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
WORK="$(mktemp -d /tmp/fidelity-corpus.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$HERE"/workloads/*.sh; do names+=("$(basename "$f" .sh)"); done
fi

# The state model's and the default rules' syscalls plus the data path (sendto, recvfrom...).
SYSCALLS="$(cd "$ROOT/packages/cli" && node -e "
  const d = require('@falco-ts/driver');
  process.stdout.write([...new Set([...d.STATE_SYSCALLS, ...d.DEFAULT_LIVE_SYSCALLS, ...d.DATA_SYSCALLS])].join(' '));")"

for name in "${names[@]}"; do
  echo "== $name"
  unshare --uts --mount --net --fork bash -s "$ROOT" "$HERE" "$WORK" "$name" "$SYSCALLS" <<'OUTER'
set -euo pipefail
ROOT="$1"; HERE="$2"; WORK="$3"; NAME="$4"; SYSCALLS="$5"
hostname fidelity-corpus
ip link set lo up
mount --make-rprivate /
mount -t tmpfs tmpfs /opt
mkdir -p /opt/falco-ts /opt/corpus /opt/corpus/www
mount --bind "$ROOT" /opt/falco-ts
cp "$HERE/workloads/$NAME.sh" /opt/corpus/workload.sh
echo '<html><body>corpus</body></html>' > /opt/corpus/www/index.html
# A login user and a resolver of the workload's own.
cp /etc/passwd /etc/group "$WORK/"
echo 'corpus:x:1500:1500:corpus user:/opt/corpus:/bin/bash' >> "$WORK/passwd"
echo 'corpus:x:1500:' >> "$WORK/group"
echo 'nameserver 127.0.0.1' > "$WORK/resolv.conf"
echo '127.0.0.1 localhost' > "$WORK/hosts"; echo '::1 localhost ip6-localhost' >> "$WORK/hosts"
for f in passwd group resolv.conf hosts; do mount --bind "$WORK/$f" "/etc/$f"; done
rm -f /opt/corpus/ready /opt/corpus/root.pid
mkfifo /opt/corpus/go
cat > /opt/corpus/run.sh <<'RUN'
cd /opt/corpus
. /opt/corpus/workload.sh
if declare -F before >/dev/null; then before; fi
touch /opt/corpus/ready
read -r _ < /opt/corpus/go   # blocks, without events of its own, until the capture runs
for round in 1 2 3; do main; done
if declare -F after >/dev/null; then after; fi
RUN
CLEAN=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root HOSTNAME=fidelity-corpus)
cd /
# The workload's parent, the one process outside its tree kept in the table, is a clean shell.
"${CLEAN[@]}" timeout -s KILL 120 bash -c 'bash /opt/corpus/run.sh & echo $! > /opt/corpus/root.pid; wait' &
PARENT=$!
while [ ! -e /opt/corpus/root.pid ]; do sleep 0.1; done
cp /opt/corpus/root.pid "$WORK/root.pid"
while [ ! -e /opt/corpus/ready ]; do sleep 0.1; done
"${CLEAN[@]}" node /opt/falco-ts/packages/driver/dist/bin/scap.js capture -w "$WORK/raw.scap" --no-compress $SYSCALLS &
CAPTURE=$!
sleep 4   # attach and read /proc before the workload starts
echo go > /opt/corpus/go
wait "$PARENT" || echo "record: workload $NAME failed" >&2
sleep 1
kill -INT "$CAPTURE"
wait "$CAPTURE" || true
OUTER
  node "$ROOT/rules/captures/scrub-capture.js" "$WORK/raw.scap" "$HERE/$name.scap.gz" "$(cat "$WORK/root.pid")" 1500
  rm -f "$WORK/raw.scap"
done
ls -l "$HERE"/*.scap.gz
