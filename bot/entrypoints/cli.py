"""The `should-we-finetune` console command. Imports are lazy so `decide` starts fast."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="should-we-finetune",
        description="Decide between prompting, RAG, fine-tuning or a hybrid for one AI use case.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    decide = commands.add_parser("decide", help="requirements JSON/YAML in, recommendation out")
    decide.add_argument("file", help="a JSON or YAML file of requirements, or - for stdin")
    decide.add_argument("--format", choices=["json", "text", "markdown", "adr"], default="text")

    chat = commands.add_parser("chat", help="the interview in the terminal")
    chat.add_argument("--jsonl", action="store_true", help="one JSON event per line (machines)")

    serve = commands.add_parser("serve", help="run the Slack app")
    serve.add_argument("--socket", action="store_true", help="Socket Mode (needs SLACK_APP_TOKEN)")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: PORT or 3000)")

    doctor = commands.add_parser("doctor", help="check configuration and reachability")
    doctor.add_argument(
        "--url", default=None, help="public base URL to check, e.g. https://bot.example.com"
    )
    doctor.add_argument(
        "--live",
        action="store_true",
        help="also make two small Claude calls to show whether the prompt cache is read",
    )

    manifest = commands.add_parser("manifest", help="print the Slack app manifest")
    manifest.add_argument(
        "--url", default=None, help="public base URL, e.g. https://bot.example.com"
    )
    manifest.add_argument("--socket", action="store_true", help="a manifest for Socket Mode")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "decide":
            from bot.entrypoints.decide import run_decide  # noqa: PLC0415

            return run_decide(args.file, output_format=args.format)
        if args.command == "manifest":
            from bot.entrypoints.manifest import run_manifest  # noqa: PLC0415

            return run_manifest(url=args.url, socket_mode=args.socket)
        if args.command == "doctor":
            # A setting that does not parse is one failed check among the others, not a crash.
            from bot.entrypoints.doctor.checklist import run_doctor_from_env  # noqa: PLC0415

            return run_doctor_from_env(url=args.url, live=args.live)

        from bot.settings import Settings  # noqa: PLC0415

        settings = Settings.from_env()
        if args.command == "chat":
            from bot.entrypoints.terminal.chat import run_chat  # noqa: PLC0415

            return run_chat(settings, jsonl=args.jsonl)
        if args.command == "serve":
            from bot.entrypoints.serve import run_serve  # noqa: PLC0415

            return run_serve(settings, socket_mode=args.socket, port=args.port)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from bot.errors import ConfigurationError  # noqa: PLC0415

        if isinstance(exc, ConfigurationError):
            print(f"should-we-finetune: {exc}", file=sys.stderr)
            return 2
        raise
    return 2
