"""Ask a question and print the answer as it streams, resuming after a dropped connection.

    python examples/ask.py BOARD_ID "How did revenue grow?"
    python examples/ask.py --assistant "Which board covers hiring?"

Asks the service at $BOARDROOM_URL (default http://127.0.0.1:8000). Needs only httpx.
(`boardroom ask` is the full-featured version of this.)
"""

from __future__ import annotations

import json
import os
import sys
import time

import httpx

BASE = os.environ.get("BOARDROOM_URL", "http://127.0.0.1:8000")


def main(argv: list[str]) -> int:
    kind = "assistant" if argv[1] == "--assistant" else "expert"
    body = (
        {"question": argv[2]} if kind == "assistant" else {"board_id": argv[1], "question": argv[2]}
    )
    with httpx.Client(base_url=BASE, timeout=httpx.Timeout(10, read=None)) as client:
        posted = client.post(f"/api/{kind}/questions", json=body)
        posted.raise_for_status()
        url, last_id = posted.json()["stream_url"], ""
        while True:
            try:
                headers = {"Last-Event-ID": last_id} if last_id else {}
                with client.stream("GET", url, headers=headers) as response:
                    if response.status_code == 204:
                        return 0  # already over
                    event = ""
                    for line in response.iter_lines():
                        if line.startswith("id: "):
                            last_id = line[4:]
                        elif line.startswith("event: "):
                            event = line[7:]
                        elif line.startswith("data: "):
                            data = json.loads(line[6:])
                            if event == "step":
                                print(f"[{data['message']}]", file=sys.stderr)
                            elif event == "delta":
                                print(data["text"], end="", flush=True)
                            elif event in ("done", "error", "cancelled"):
                                print()
                                return 0 if event == "done" else 1
            except httpx.TransportError:
                time.sleep(1)  # then resume after `last_id`


if __name__ == "__main__":
    sys.exit(main(sys.argv))
