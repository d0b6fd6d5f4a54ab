#!/usr/bin/env bash
# Set up, then run the main job on the bundled examples: check each seed agency's results,
# analyse them with the Thai narrative, draft its measures plan, and write the measures document
# (DOCX, PDF and HTML, default layout) into out/; then scores a small synthetic national set of raw
# answers, writes a document per agency in parallel, and reads one published document back.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
for results in examples/seed-*.yaml examples/example-2569.yaml; do
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
# The fill-in results form of 2569 a clerk completes from the ITAS screen, and the 2569 framework as
# a workbook a person edits into a new year (read back with: prongsai framework import FILE -o DIR).
.venv/bin/prongsai template 2569 --agency-type เทศบาลตำบล -o out/form-2569.xlsx
.venv/bin/prongsai framework export 2569 -o out/framework-2569.xlsx
# Raw answers for many agencies: a small synthetic national set, scored by each year's rules, then
# one document per agency in parallel (run it again and it continues where it stopped).
.venv/bin/prongsai synth --agencies 40 --seed 1 -o out/national
.venv/bin/prongsai score out/national/answers.parquet --oit out/national/oit.csv -o out/national/scores.csv
.venv/bin/prongsai report --batch out/national/scores.csv -o out/national/documents
# A published document read back into results, a plan and a list of uncertain readings.
.venv/bin/prongsai import out/seed-002-bueng-kan-2568.docx -o out/imported
.venv/bin/prongsai check out/imported/results.yaml
