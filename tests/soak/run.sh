#!/usr/bin/env bash
# Runs the soak program of each language against one emulator process. SOAK_CALLS sets the calls per language.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}
profile=${SOAK_PROFILE:-debug}
out=$(mktemp)
"target/$target/$profile/flarekit-emulator" --port 0 >"$out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 200); do grep -q "listening on" "$out" && break; sleep 0.05; done
export CLOUDFLARE_BASE_URL=$(sed -n 's/^flarekit-emulator listening on //p' "$out" | head -1)
export CLOUDFLARE_API_TOKEN=$(sed -n 's/^api token "Admin: everything": //p' "$out" | head -1)
export FLAREKIT_SOAK_ZONE_ID=822a5cb2e31326eb7856208ac716c8cd
export SOAK_CALLS=${SOAK_CALLS:-20000}
unset CLOUDFLARE_API_KEY CLOUDFLARE_EMAIL CLOUDFLARE_API_USER_SERVICE_KEY CLOUDFLARE_ACCOUNT_ID
"target/$target/$profile/examples/soak"
if [ -n "${SOAK_PYTHON:-}" ] && [ -f bindings-python/tests/soak.py ]; then "$SOAK_PYTHON" bindings-python/tests/soak.py; fi
if [ -f bindings-node/test/soak.mjs ] && [ -f bindings-node/index.js ]; then node bindings-node/test/soak.mjs; fi
