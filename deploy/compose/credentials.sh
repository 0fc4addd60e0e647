#!/usr/bin/env bash
# Writes deploy/.env for Docker Compose (read by `docker compose` for ${...} in compose.yaml; not in git): an API
# key with every role for you and the demo publisher, its salted hash (all the service gets of it), and the key
# that encrypts subscription secrets.
#
# Usage: deploy/compose/credentials.sh   (once; keep deploy/.env to yourself)
set -euo pipefail
OUT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)/.env"
if [[ -s "$OUT" ]]; then
  echo "deploy/.env exists; delete it to make a new key" >&2
  exit 1
fi
hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
key="dtm_$(hex 32)"
salt="$(hex 16)"
(umask 077; cat >"$OUT" <<ENV
DTM_API_KEY=$key
DTM_API_KEY_HASH=sha256:$salt:$(printf '%s:%s' "$salt" "$key" | sha256sum | cut -d' ' -f1)
DTM_ALERTS_SECRET_KEYS=compose:$(head -c 32 /dev/urandom | base64)
ENV
)
echo "wrote deploy/.env; your API key (every role): $key"
