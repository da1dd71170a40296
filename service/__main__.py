"""The `boardroom` command line: `boardroom serve`."""

from __future__ import annotations

import argparse
import logging
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
    serve.add_argument("--log-level", default="info", help="debug, info, warning or error")
    args = parser.parse_args(argv)

    try:
        settings = Settings.from_env(host=args.host, port=args.port, data_dir=args.data_dir)
    except SettingsError as exc:
        print(f"boardroom: {exc}", file=sys.stderr)
        return 2
    return serve_forever(settings, args.log_level)


def serve_forever(settings: Settings, log_level: str) -> int:
    """Run uvicorn on the app until SIGINT or SIGTERM."""
    import uvicorn

    from service.app import create_app

    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    print(f"Boardroom on http://{settings.host}:{settings.port}", flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s) + 2,
        proxy_headers=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
