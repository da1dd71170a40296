#!/usr/bin/env bash
# Ask a board's expert with curl and watch the answer stream; then the other ways in.
#   examples/stream.sh BOARD_ID "question"
set -euo pipefail
BASE="${BOARDROOM_URL:-http://127.0.0.1:8000}"
BOARD="${1:?usage: examples/stream.sh BOARD_ID QUESTION}"
QUESTION="${2:?usage: examples/stream.sh BOARD_ID QUESTION}"

# One request: submit and stream. -N: print each event as it arrives.
curl -sN -G "$BASE/api/expert/stream" --data-urlencode "board_id=$BOARD" \
  --data-urlencode "question=$QUESTION"

# Two requests: submit (safe to retry with the same Idempotency-Key), then stream.
stream_url=$(curl -sf -X POST "$BASE/api/expert/questions" -H 'content-type: application/json' \
  -H "Idempotency-Key: $(date +%s%N)" \
  -d "$(python3 -c 'import json,sys; print(json.dumps({"board_id": sys.argv[1], "question": sys.argv[2]}))' "$BOARD" "$QUESTION")" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["stream_url"])')
curl -sN "$BASE$stream_url"

# Resume after event 3 (what a client does after a dropped connection):
curl -sN -H 'Last-Event-ID: 3' "$BASE$stream_url"
