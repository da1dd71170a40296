#!/usr/bin/env bash
# Make a board, upload a PDF, and search it: examples/boards.sh report.pdf "your question"
set -euo pipefail
BASE="${BOARDROOM_URL:-http://127.0.0.1:8000}"
PDF="${1:?usage: examples/boards.sh FILE.pdf [QUESTION]}"
QUESTION="${2:-What is this document about?}"
AUTH=()
if [ -n "${BOARDROOM_API_TOKEN:-}" ]; then AUTH=(-H "authorization: Bearer $BOARDROOM_API_TOKEN"); fi

board=$(curl -sf "${AUTH[@]}" -X POST "$BASE/api/boards" -H 'content-type: application/json' \
  -d "{\"name\": \"$(basename "$PDF")\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["board_id"])')
echo "board $board"
curl -sf "${AUTH[@]}" -F "file=@$PDF" "$BASE/api/boards/$board/files?wait=true"; echo
curl -sf "${AUTH[@]}" -G "$BASE/api/boards/$board/search" --data-urlencode "q=$QUESTION" \
  | python3 -m json.tool --no-ensure-ascii
