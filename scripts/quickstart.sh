#!/usr/bin/env bash
# The first quick-start command: set everything up, then run the detector on its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node packages/filter-lang/dist/example.js "$@"
