#!/usr/bin/env bash
# Drives a real iamlocal binary with real clients: aws-cli and boto3 (in a venv) and the AWS SDK
# for JavaScript v3 (npm ci). Usage: tests/clients/run.sh [path-to-iamlocal-binary]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$root/target/release/iamlocal}"
[ -x "$bin" ] || (cd "$root" && cargo build --release --quiet)

if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
(cd "$here/js" && npm ci --silent --no-audit --no-fund)

log="$(mktemp)"
"$bin" --listen 127.0.0.1:0 --db :memory: >"$log" 2>"$log.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log" "$log.err"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$log" && break
  sleep 0.05
done
endpoint="$(sed -n 's/^iamlocal listening on //p' "$log")"
[ -n "$endpoint" ] || { echo "server did not start"; cat "$log.err"; exit 1; }
echo "iamlocal at $endpoint"
reset() { "$here/.venv/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/_iamlocal/reset', method='POST')).read()" "$endpoint"; }

export IAMLOCAL_ENDPOINT="$endpoint"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
PATH="$here/.venv/bin:$PATH"

reset
bash "$here/awscli_test.sh"
reset
bash "$here/awscli_workload.sh"
reset
"$here/.venv/bin/python" -m unittest -v "$here/boto3_test.py" 2>&1
reset
node "$here/js/test.mjs"
echo "client suites passed"
