"""A client of the old socket protocol, as existing integrations speak it.

    python examples/old_socket_client.py BOARD_ID "How did revenue grow?"
    python examples/old_socket_client.py --assistant "Make a board for Rotterdam"

Connects to the service at $BOARDROOM_URL (default http://127.0.0.1:8000) over ws:// (wss://
for https). Needs the `websockets` package.
"""

from __future__ import annotations

import json
import os
import sys

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

HTTP_BASE = os.environ.get("BOARDROOM_URL", "http://127.0.0.1:8000").rstrip("/")
BASE = "ws" + HTTP_BASE.removeprefix("http")  # http://host → ws://host, https:// → wss://


def main(argv: list[str]) -> int:
    if argv[1] == "--assistant":
        path, first = "/api/assistant/stream", {"query": argv[2], "status_log": [], "history": []}
    else:
        path, first = "/api/expert/stream", {"query": argv[2], "board_id": argv[1], "history": []}
    with connect(BASE + path) as ws:
        ws.send(json.dumps(first))
        try:
            while True:
                frame = json.loads(ws.recv())
                if "debug" in frame:
                    print(f"[{frame['status']}] {frame['debug']}", file=sys.stderr)
                elif "chunk" in frame:
                    print(frame["chunk"], end="", flush=True)
                elif frame.get("done"):
                    print()
                    if frame.get("command"):
                        print(f"proposed: {frame['command']}", file=sys.stderr)
                elif "error" in frame:
                    print(f"\nerror: {frame['error']}", file=sys.stderr)
        except ConnectionClosed:
            pass
        return 0 if ws.close_code == 1000 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
