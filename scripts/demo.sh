#!/usr/bin/env bash
# Set up, then run the main job on the bundled examples: check each seed agency's results,
# analyse them with the Thai narrative, draft its measures plan, and write the measures document
# (DOCX, PDF and HTML, default layout) into out/.
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
  for format in docx pdf html; do
    .venv/bin/prongsai report "$results" --plan "out/$name-plan.yaml" -o "out/$name.$format"
  done
  echo
done
