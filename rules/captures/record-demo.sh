#!/usr/bin/env bash
# Records rules/captures/demo-host-behaviours.scap.gz, the capture the quick start replays when
# the live driver cannot be opened: this project's driver (`scap capture`) records while the event
# generator performs every host behaviour; the result is scrubbed down to the generator's process
# tree (scrub-capture.js). Run as root after `pnpm build`:
#
#   bash rules/captures/record-demo.sh [OUT]
#
# Nothing of the recording machine should end up in the file: the recording runs in its own UTS
# and mount namespaces, with the hostname `falco-demo`, the checkout seen at /opt/falco-ts and an
# empty environment (`env -i`) apart from PATH and HOME.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/rules/captures/demo-host-behaviours.scap.gz}"
WORK="$(mktemp -d /tmp/falco-demo-record.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# The syscalls the live detector enables for the default rules, plus the state model's.
SYSCALLS="$(cd "$ROOT/packages/cli" && node -e "
  const { STATE_SYSCALLS, DEFAULT_LIVE_SYSCALLS } = require('@falco-ts/driver');
  process.stdout.write([...new Set([...STATE_SYSCALLS, ...DEFAULT_LIVE_SYSCALLS, 'memfd_create', 'ptrace', 'dup2', 'dup3', 'symlink', 'symlinkat'])].join(' '));")"

unshare --uts --mount --fork bash -s "$ROOT" "$WORK" "$SYSCALLS" <<'OUTER'
set -euo pipefail
ROOT="$1"; WORK="$2"; SYSCALLS="$3"
hostname falco-demo
mount --make-rprivate /
mount -t tmpfs tmpfs /opt
mkdir -p /opt/falco-ts /opt/falco-demo
mount --bind "$ROOT" /opt/falco-ts
# The workload's parent is the one process of the recording kept in the capture's process
# table: a clean shell running a script at a neutral path, started from an empty environment.
cat > /opt/falco-demo/run.sh <<'RUN'
cd /
node /opt/falco-ts/tools/event-generator/dist/bin/event-generator.js --host-only --pause 200 &
echo $! > /opt/falco-demo/root.pid
wait $!
RUN
CLEAN=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root HOSTNAME=falco-demo)
cd /
"${CLEAN[@]}" node /opt/falco-ts/packages/driver/dist/bin/scap.js capture -w "$WORK/raw.scap" --no-compress $SYSCALLS &
CAPTURE=$!
sleep 3   # attach and read /proc before the workload starts
"${CLEAN[@]}" bash /opt/falco-demo/run.sh || echo "record-demo: some behaviours failed (see above)" >&2
sleep 1
kill -INT "$CAPTURE"
wait "$CAPTURE" || true
cp /opt/falco-demo/root.pid "$WORK/root.pid"
OUTER

node "$ROOT/rules/captures/scrub-capture.js" "$WORK/raw.scap" "$OUT" "$(cat "$WORK/root.pid")"
# What the capture is expected to raise: each host behaviour's rule, as many times as the behaviour
# raises it (its look-alikes raise nothing), and the other rules its setup raises.
node -e "
  const { HOST_BEHAVIOURS } = require(process.argv[1]);
  const behaviours = HOST_BEHAVIOURS.map((b) => ({ name: b.name, rule: b.rule, alerts: b.alerts, ...(b.alsoRaises ? { alsoRaises: b.alsoRaises } : {}) }));
  process.stdout.write(JSON.stringify({ capture: require('path').basename(process.argv[2]), hostname: 'falco-demo', behaviours }, null, 2) + '\\n');" \
  "$ROOT/tools/event-generator/dist" "$OUT" > "${OUT%.scap.gz}.expected.json"
ls -l "$OUT" "${OUT%.scap.gz}.expected.json"
