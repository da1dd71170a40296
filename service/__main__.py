"""The `boardroom` command line: `serve` runs the service, `ask` asks it a question."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from service.settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="boardroom", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", help="address to bind (BOARDROOM_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (BOARDROOM_PORT, default 8000)")
    serve.add_argument("--data-dir", type=Path, help="where boards live (BOARDROOM_DATA_DIR)")
    serve.add_argument(
        "--workers",
        type=int,
        help="serving processes on the port (BOARDROOM_WORKERS, default 1); "
        "more than one needs BOARDROOM_BROKER_URL",
    )
    serve.add_argument("--log-level", default="info", help="debug, info, warning or error")
    serve.add_argument(
        "--no-access-log", dest="access_log", action="store_false", help="do not log every request"
    )

    ask = commands.add_parser("ask", help="ask a question and print the answer as it streams")
    ask.add_argument("question")
    target = ask.add_mutually_exclusive_group(required=True)
    target.add_argument("--board", help="ask this board's expert (a board name or id)")
    target.add_argument("--assistant", action="store_true", help="ask the global assistant")
    ask.add_argument(
        "--url",
        default=os.environ.get("BOARDROOM_URL", "http://127.0.0.1:8000"),
        help="the service (BOARDROOM_URL, default http://127.0.0.1:8000)",
    )
    ask.add_argument(
        "--token",
        default=os.environ.get("BOARDROOM_API_TOKEN") or None,
        help="API token (BOARDROOM_API_TOKEN)",
    )

    args = parser.parse_args(argv)
    if args.command == "ask":
        from service.ask import ask as run_ask

        return run_ask(args.url, args.question, board=args.board, token=args.token)
    try:
        settings = Settings.from_env(
            host=args.host, port=args.port, data_dir=args.data_dir, workers=args.workers
        )
    except SettingsError as exc:
        print(f"boardroom: {exc}", file=sys.stderr)
        return 2
    return serve_forever(settings, args.log_level, access_log=args.access_log)


def serve_forever(settings: Settings, log_level: str, *, access_log: bool = True) -> int:
    """Serve until SIGINT or SIGTERM, in this process or, with `workers` > 1, in several."""
    if settings.workers > 1:
        from service.supervisor import Supervisor

        return Supervisor(settings, log_level, access_log=access_log).run()
    from service.serve import serve

    return serve(settings, log_level, access_log=access_log)


if __name__ == "__main__":
    sys.exit(main())
