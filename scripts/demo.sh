#!/usr/bin/env bash
# Set up, then run the main job on the bundled examples: check each seed agency's results,
# analyse them with the Thai narrative, and draft its measures plan into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
for results in examples/seed-*.yaml; do
  name=$(basename "$results" .yaml)
  .venv/bin/prongsai check "$results"
  echo
  .venv/bin/prongsai analyze "$results"
  echo
  .venv/bin/prongsai plan "$results" -o "out/$name-plan.yaml"
  echo
done
