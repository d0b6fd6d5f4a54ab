#!/usr/bin/env bash
# Set up, then run the main job on the bundled examples: check the five seed agencies' results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
for results in examples/seed-*.yaml; do
  .venv/bin/prongsai check "$results"
  echo
done
