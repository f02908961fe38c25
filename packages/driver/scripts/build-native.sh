#!/bin/sh
# Builds the live capture driver: BPF objects and skeleton (build-bpf.sh), then the addon with
# node-gyp against the headers of the running Node (never downloaded). It is the package's install
# script: a missing tool is an error that names it, and the install fails with it.
set -eu
cd "$(dirname "$0")/.."

for tool in make g++ pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "build-native: '$tool' not found. Install it: apt-get install -y make g++ pkg-config" >&2
		exit 1
	}
done
if ! pkg-config --exists libbpf; then
	echo "build-native: libbpf not found. Install it: apt-get install -y libbpf-dev libelf-dev zlib1g-dev" >&2
	exit 1
fi
libbpf_version=$(pkg-config --modversion libbpf)
case "$libbpf_version" in
	0.*) echo "build-native: libbpf $libbpf_version is too old; >= 1.0 is needed" >&2; exit 1 ;;
esac

nodedir=$(node -p "require('path').resolve(process.execPath, '..', '..')")
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
	echo "build-native: Node headers not found under $nodedir/include/node (install the distribution's nodejs headers, e.g. libnode-dev)" >&2
	exit 1
fi

# node-gyp: the workspace's (a devDependency), else the one npm and pnpm put on PATH for install
# scripts.
gyp="node_modules/.bin/node-gyp"
if [ ! -x "$gyp" ]; then
	gyp=$(command -v node-gyp || true)
	if [ -z "$gyp" ]; then
		echo "build-native: 'node-gyp' not found. Install it: npm install -g node-gyp" >&2
		exit 1
	fi
fi
# Configure again when the Makefile is missing, older than binding.gyp, or was made for another
# checkout (a build cache restores build/ with the paths of the tree that filled it).
if [ ! -f build/Makefile ] || [ binding.gyp -nt build/Makefile ] || ! grep -q -- "-Dmodule_root_dir=$(pwd)\"" build/Makefile; then
	"$gyp" configure --nodedir="$nodedir" --loglevel=warn
fi
sh scripts/build-bpf.sh
"$gyp" build --loglevel=warn -j 2
