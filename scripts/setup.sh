#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian machine (run as root), then
# installs the workspace's dependencies and builds it. Safe to run again: each step is skipped
# when its work is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: the eBPF toolchain (clang, llvm, bpftool, libbpf), the oracle that reads scap
# files (sysdig, without its kernel module), and the real servers the tests talk to (dockerd,
# nats-server), plus busybox-static for the test container images.
SYSTEM_PACKAGES=(
  clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config make g++ python3
  sysdig docker.io nats-server busybox-static iproute2 procps util-linux podman openssl
)
missing=()
for p in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # --no-install-recommends keeps sysdig's kernel module (sysdig-dkms) out: only its scap reader is used.
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v pnpm >/dev/null 2>&1; then
  echo "setup: installing pnpm"
  npm install -g pnpm@9.15.9
fi

pnpm install --frozen-lockfile
pnpm build
