"""``azureml-local schedules list|history`` (``schedule`` is the same command under its first name)."""
from __future__ import annotations

import argparse
import sys

from azureml_local.cli_commands.common import add_common, context, emit
from azureml_local.pipeline.scheduling import report
from azureml_local.studio import endpoints


def cmd_schedules(args: argparse.Namespace) -> int:
    ctx = context(args)
    if args.action == "history":
        if not args.schedule_id:
            print("error: schedules history needs a SCHEDULE_ID (see `azureml-local schedules list`)", file=sys.stderr)
            return 2
        data = endpoints.schedule_history(ctx, args.schedule_id, args.limit)
        return emit(args, data, report.format_history(ctx, args.schedule_id, args.limit) if not args.json else "")
    return emit(args, endpoints.schedule_summaries(ctx), report.format_list(ctx) if not args.json else "")


def register(sub: "argparse._SubParsersAction") -> None:
    for name in ("schedules", "schedule"):
        parser = add_common(sub.add_parser(name, help="list schedules (next fire, fires), or one schedule's history"))
        parser.add_argument("action", choices=["list", "history"])
        parser.add_argument("schedule_id", nargs="?")
        parser.add_argument("--limit", type=int, default=None)
        parser.set_defaults(func=cmd_schedules)
