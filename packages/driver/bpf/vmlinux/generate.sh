#!/bin/sh
# Regenerates the committed vmlinux.h from the running kernel's BTF. The build never reads host BTF:
# CO-RE relocations adapt the compiled object to whatever kernel loads it.
set -eu
cd "$(dirname "$0")"
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "x86_64/vmlinux.h"
