#!/usr/bin/env bash
# The command-line walk-through (docs/walkthrough.md): set up, then check each bundled example
# agency's results, analyse them with the Thai narrative, draft its measures plan and write the
# measures document (DOCX, PDF and HTML) into out/; track seed 000's measures and write its progress
# reports; carry them into the next year; score a small synthetic national set of raw answers, write
# a document per agency in parallel, and read one published document back.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
for results in examples/seed-*-25[0-9][0-9].yaml examples/example-2569.yaml; do
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
# Carrying out the measures: the seed 000 plan for 2567 and an illustrative filled progress file.
# A file to fill for a plan, where every measure stood on 31 March 2567, and the 6- and 12-month
# reports (the progress report is an OIT item of the next year).
plan=examples/seed-000-bueng-phai-2567-plan.yaml
progress=examples/seed-000-bueng-phai-2567-progress.yaml
rm -f out/progress-to-fill.yaml
.venv/bin/prongsai progress init "$plan" -o out/progress-to-fill.yaml
.venv/bin/prongsai progress status "$plan" "$progress" --as-of 2567-03-31
for period in 6 12; do
  for format in docx pdf xlsx; do
    .venv/bin/prongsai progress report "$plan" "$progress" --period "$period" -o "out/progress-$period.$format"
  done
done
# The next year: illustrative 2567 results of the same municipality, with its 2566 results as
# history. The plan for 2568 says what became of the 2567 measures (status, items before -> after),
# carries the unfinished ones into 2568, and the document states it in หลักการและเหตุผล.
.venv/bin/prongsai plan examples/bueng-phai-2567-illustrative.yaml --history examples/seed-000-bueng-phai-2566.yaml \
  --previous "$plan" --progress "$progress" -o out/bueng-phai-2568-plan.yaml
.venv/bin/prongsai report examples/bueng-phai-2567-illustrative.yaml --history examples/seed-000-bueng-phai-2566.yaml \
  --plan out/bueng-phai-2568-plan.yaml -o out/bueng-phai-2568.pdf
echo
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
