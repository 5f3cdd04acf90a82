#!/bin/sh
# bench/download: `make bench-download`, or sh bench/download/run.sh BUILD_DIR
# (see bench.py for what it measures and its environment).
exec python3 "$(dirname "$0")/bench.py" "${1:-build}"
