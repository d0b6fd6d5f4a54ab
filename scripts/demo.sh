#!/usr/bin/env bash
# The README's first command: set up, make the web application's demo in ./prongsai-data (the bundled
# example agencies with their results, one account per role, printed with fresh passwords), start the
# background worker that makes documents and sends reminders, and serve the application on
# http://127.0.0.1:8000/ until Ctrl+C. PRONGSAI_DATA, HOST and PORT change the folder and address.
# The command-line walk-through is scripts/walkthrough.sh (docs/walkthrough.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
data=${PRONGSAI_DATA:-prongsai-data}
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  echo "พอร์ต $port ของ $host มีโปรแกรมอื่นใช้อยู่ กำหนดพอร์ตอื่น เช่น PORT=8080 bash scripts/demo.sh" >&2
  echo "port $port on $host is in use by another program; choose another, e.g. PORT=8080 bash scripts/demo.sh" >&2
  exit 1
fi
accounts=$(.venv/bin/prongsai web init --demo --data "$data")
mkdir -p "$data"
.venv/bin/prongsai web worker --data "$data" >"$data/worker.log" 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
cat <<TEXT

$accounts

prongsai พร้อมใช้งาน / ready:  http://$host:$port/
เข้าสู่ระบบด้วยบัญชีทดลองข้างต้น (รหัสผ่านใหม่ทุกครั้งที่รันคำสั่งนี้) / sign in with a demo account above
(new passwords each run). งานเบื้องหลัง / background worker log: $data/worker.log
กด Ctrl+C เพื่อหยุด / press Ctrl+C to stop.

TEXT
.venv/bin/prongsai web serve --data "$data" --host "$host" --port "$port"
