#!/bin/sh
# Compiles every BPF source on its own, links them into one object and generates the libbpf
# skeleton the addon includes: bpf/**/*.bpf.c → build/bpf/*.o → build/bpf/driver.bpf.o → driver.skel.h
set -eu
cd "$(dirname "$0")/.."
OUT=build/bpf

need() {
	command -v "$1" >/dev/null 2>&1 || {
		echo "build-bpf: '$1' not found. Install the eBPF toolchain: apt-get install -y $2" >&2
		exit 1
	}
}
need clang clang
need bpftool bpftool
clang_major=$(clang -dumpversion | cut -d. -f1)
if [ "$clang_major" -lt 12 ]; then
	echo "build-bpf: clang $clang_major is too old; clang >= 12 is needed for BTF-enabled BPF objects" >&2
	exit 1
fi
if [ ! -f /usr/include/bpf/bpf_helpers.h ]; then
	echo "build-bpf: libbpf headers missing. Install them: apt-get install -y libbpf-dev" >&2
	exit 1
fi

mkdir -p "$OUT"
objs=""
for src in bpf/license.bpf.c bpf/programs/attached/*.bpf.c bpf/programs/syscalls/*.bpf.c; do
	name=$(echo "$src" | sed 's|^bpf/||; s|/|_|g; s|\.bpf\.c$||')
	obj="$OUT/$name.o"
	if [ ! -f "$obj" ] || [ -n "$(find bpf -newer "$obj" -name '*.[ch]' | head -1)" ]; then
		clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Wno-unused-function -c "$src" -o "$obj"
	fi
	objs="$objs $obj"
done
# shellcheck disable=SC2086
bpftool gen object "$OUT/driver.bpf.o" $objs
bpftool gen skeleton "$OUT/driver.bpf.o" name driver_bpf > "$OUT/driver.skel.h"
