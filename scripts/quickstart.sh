#!/usr/bin/env bash
# The first quick-start command: set everything up, then run the detector live on the default
# rules (rules/falco_rules.yaml) with container metadata until Ctrl-C. Extra arguments go to the `falco` command.
# When the eBPF driver cannot be opened (not root, no BTF, missing capabilities), it says why and
# replays a capture instead: FALCO_DEMO_CAPTURE, else the bundled
# rules/captures/demo-host-behaviours.scap.gz, recorded with this project's driver while the event
# generator performed every host behaviour the default rules detect (rules/captures/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# No -c and no -r: with no /etc/falco/falco.yaml installed, `falco` runs on the defaults the package
# ships: the default rules (rules/falco_rules.yaml, copied into the package at build) and container
# metadata from the Docker, Podman, containerd and CRI-O sockets, as a Falco package's config.d does.
FALCO=(node packages/cli/dist/bin/falco.js -o syslog_output.enabled=false)
if [ -e /etc/falco/falco.yaml ]; then
  echo "quickstart: /etc/falco/falco.yaml exists and is used instead of the shipped defaults"
fi

if reason=$(cd packages/cli && node -e "
  require('@falco-ts/driver').openCapture({ syscalls: ['openat'] }).then(
    (c) => { c.close(); process.exit(0); },
    (e) => { console.log(e.message); process.exit(1); });" 2>&1); then
  echo "quickstart: running the detector live with the default rules (Ctrl-C to stop)"
  exec "${FALCO[@]}" "$@"
fi

echo "quickstart: the live driver cannot be opened here:"
echo "$reason" | sed 's/^/  /'
capture="${FALCO_DEMO_CAPTURE:-rules/captures/demo-host-behaviours.scap.gz}"
if [ ! -r "$capture" ]; then
  echo "quickstart: no capture to replay at $capture (set FALCO_DEMO_CAPTURE=/path/to/file.scap)" >&2
  exit 1
fi
echo "quickstart: replaying $capture with the default rules instead"
exec "${FALCO[@]}" -o engine.kind=replay -o "engine.replay.capture_file=$capture" "$@"
