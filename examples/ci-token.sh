#!/usr/bin/env bash
# The least-privilege workflow of a CI job, with the `flarekit` command:
#   1. an admin credential creates a token for this one job: Workers deploy on one account, usable only from the
#      runner's addresses, expiring in an hour, owned by the account;
#   2. the job verifies it, uses it, and cannot step outside it;
#   3. the token is revoked when the job ends (also when it fails), and the account's audit log shows each step.
# `make demo` runs it against the emulator. Against the real API: unset CLOUDFLARE_BASE_URL, set the admin token in
# CLOUDFLARE_API_TOKEN and pass --ip-allow your runner's egress range instead of loopback.
#
# Environment: CLOUDFLARE_API_TOKEN (admin: API Tokens Write, Account Settings Read), CLOUDFLARE_BASE_URL (optional),
# FLAREKIT (the command; default: `flarekit` on PATH), CI_ACCOUNT_NAME (default: the emulator's "Demo Account").
set -euo pipefail
flarekit=${FLAREKIT:-flarekit}
account_name=${CI_ACCOUNT_NAME:-Demo Account}
field() { python3 -c 'import json, sys; v = json.load(sys.stdin); print(v[sys.argv[1]] if isinstance(v, dict) else v)' "$1"; }
say() { echo "[ci-token] $*"; }

say "admin: $("$flarekit" whoami)"
account_id=$("$flarekit" api /accounts |
  python3 -c 'import json, sys; print(next(a["id"] for a in json.load(sys.stdin) if a["name"] == sys.argv[1]))' "$account_name")

# 1. One token for this job. The value goes into a variable (a masked secret in a real CI), never to the log.
created=$("$flarekit" token create --json --name "ci deploy ${GITHUB_RUN_ID:-local}" \
  --allow "Workers Scripts Write@account:$account_name" \
  --ip-allow 127.0.0.0/8 --ip-allow ::1/128 --ttl 1h --account "$account_id")
token_id=$(field id <<<"$created")
job_token=$(field value <<<"$created")
unset created
say "created token $token_id (account-owned, 127.0.0.0/8 and ::1 only, expires $("$flarekit" token list --account "$account_id" --json |
  python3 -c 'import json, sys; print(next(t["expires_on"] for t in json.load(sys.stdin) if t["id"] == sys.argv[1]))' "$token_id"))"

revoke() { "$flarekit" token revoke "$token_id" --account "$account_id" >/dev/null && say "revoked token $token_id"; }
trap revoke EXIT

# 2. The job, with nothing but its own token.
job() { CLOUDFLARE_API_TOKEN="$job_token" CLOUDFLARE_ACCOUNT_ID="$account_id" "$flarekit" "$@"; }
say "job: $(job token verify)"
say "job: whoami says $(job whoami --json | python3 -c 'import json, sys; t = json.load(sys.stdin)["token"]; print(t["owner"] + "-owned, " + t["status"])')"
scripts=$(job api "/accounts/$account_id/workers/scripts" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
say "job: listed $scripts Workers script(s) of the account"
zone_id=$("$flarekit" api "/zones?name=example.com" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
set +e
job api -X POST "/zones/$zone_id/dns_records" -f type=A -f name=ci -f content=192.0.2.1 >/dev/null 2>&1
code=$?
set -e
[ "$code" -ne 0 ] || { say "the job token could write DNS: it is not least-privilege"; exit 1; }
say "job: writing DNS is refused (exit $code): the token holds only what the job needs"

# 3. Revoke now (the trap would too), then the token is dead and the audit log shows the steps.
trap - EXIT
revoke
set +e
job token verify >/dev/null 2>&1
code=$?
set -e
[ "$code" -eq 4 ] || { say "a revoked token still verified (exit $code)"; exit 1; }
say "job: the revoked token is rejected (exit 4)"
"$flarekit" api "/accounts/$account_id/audit_logs" | python3 -c '
import json, sys
steps = [e["action"]["type"] for e in json.load(sys.stdin) if sys.argv[1] in json.dumps(e)]
print("[ci-token] audit log for the token:", ", ".join(reversed(steps)) or "nothing")
sys.exit(0 if {"add", "delete"} <= set(steps) else 1)' "$token_id"
