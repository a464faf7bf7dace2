#!/usr/bin/env bash
# `make demo`: start the bundled emulator on a free port, run the quickstart of each language against it, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}
emulator="target/$target/debug/flarekit-emulator"
quickstart="target/$target/debug/examples/quickstart"
flarekit="target/$target/debug/flarekit"

out=$(mktemp)
"$emulator" --port 0 >"$out" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out"; }
trap cleanup EXIT
for _ in $(seq 1 200); do grep -q "listening on" "$out" && break; sleep 0.05; done
base=$(sed -n 's/^flarekit-emulator listening on //p' "$out" | head -1)
[ -n "$base" ] || { echo "the emulator did not start:"; cat "$out"; exit 1; }
token() { sed -n "s/^api token \"$1\": //p" "$out" | head -1; }

export CLOUDFLARE_BASE_URL="$base"
export CLOUDFLARE_API_TOKEN="$(token 'DNS edit: example.com')"
export FLAREKIT_DEMO_READ_ONLY_TOKEN="$(token 'Read only: all zones')"
export FLAREKIT_DEMO_EXPIRED_TOKEN="$(token 'Expired')"
unset CLOUDFLARE_API_KEY CLOUDFLARE_EMAIL CLOUDFLARE_API_USER_SERVICE_KEY
echo "== flarekit demo against the emulator at $base"
echo "== (for the real API: unset CLOUDFLARE_BASE_URL and set CLOUDFLARE_API_TOKEN)"

echo "-- Rust"
"$quickstart"
if [ -n "${FLAREKIT_DEMO_PYTHON:-}" ]; then
  echo "-- Python"
  "$FLAREKIT_DEMO_PYTHON" examples/quickstart.py
fi
if [ -n "${FLAREKIT_DEMO_NODE:-}" ]; then
  echo "-- Node"
  node examples/quickstart.mjs
fi
echo "-- CI: a least-privilege token for one job, with the flarekit command"
CLOUDFLARE_API_TOKEN="$(token 'Admin: everything')" FLAREKIT="$flarekit" bash examples/ci-token.sh
echo "== demo finished"
