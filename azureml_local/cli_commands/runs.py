"""``azureml-local runs list|show|logs|cancel``."""
from __future__ import annotations

import argparse
import sys
import time

from azureml_local.cli_commands.common import add_common, context, emit
from azureml_local.run import Run
from azureml_local.store.run_queries import SORTS
from azureml_local.studio import cli_views, files
from azureml_local.studio.experiments import RunFilter
from azureml_local.workspace import Workspace


def cmd_list(args: argparse.Namespace) -> int:
    flt = RunFilter(status=args.status, run_type=args.type, search=args.search, tag=args.tag, sort=args.sort,
                    descending=not args.asc, page=args.page, page_size=args.limit)
    listing = cli_views.runs_list(context(args), flt, args.experiment, args.all)
    return emit(args, listing, cli_views.runs_list_text(listing))


def cmd_show(args: argparse.Namespace) -> int:
    shown = cli_views.run_show(context(args), args.run_id)
    return emit(args, shown, cli_views.run_show_text(shown))


def cmd_logs(args: argparse.Namespace) -> int:
    ctx = context(args)
    if args.follow:
        return _follow(ctx, args)
    name, text = cli_views.run_log(ctx, args.run_id, args.name)
    return emit(args, {"run_id": args.run_id, "name": name, "text": text},
                text.rstrip("\n") if name else f"Run {args.run_id} has no log yet.")


def _follow(ctx, args: argparse.Namespace) -> int:
    """Print the log as it grows until the run ends (Ctrl-C stops following, not the run)."""
    name, offset = args.name, 0
    try:
        while True:
            if name is None:
                name = files.default_log(files.run_files(ctx, args.run_id))
                if name is None:
                    status = ctx.runs.status(args.run_id)
                    print(f"waiting for the run to start ({status})...", file=sys.stderr, flush=True)
                    time.sleep(1)
                    continue
            chunk = files.tail_log(ctx, args.run_id, name, offset)
            offset = chunk["offset"]
            sys.stdout.write(chunk["text"])
            sys.stdout.flush()
            if not chunk["active"]:
                print(f"\n[run {args.run_id}: {chunk['status']}]", file=sys.stderr)
                return 0
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 130


def cmd_cancel(args: argparse.Namespace) -> int:
    ws = Workspace.from_config(args.path)
    run = Run.get(ws, args.run_id)
    before = run.get_status()
    run.cancel()
    after = ws._context.runs.status(args.run_id)
    text = (f"Run {args.run_id} was already {before}; nothing to cancel." if before == after
            else f"Run {args.run_id}: {before} -> {after}")
    return emit(args, {"run_id": args.run_id, "before": before, "status": after}, text)


def register(sub: "argparse._SubParsersAction") -> None:
    runs = sub.add_parser("runs", help="list, show, print the log of, or cancel runs")
    actions = runs.add_subparsers(dest="action", required=True)
    listing = add_common(actions.add_parser("list", help="runs, newest first (top-level unless --all)"))
    listing.add_argument("--experiment", "-e", default=None)
    listing.add_argument("--status", default=None)
    listing.add_argument("--type", default=None, help="run type, e.g. azureml.scriptrun, azureml.PipelineRun")
    listing.add_argument("--search", default=None, help="substring of the run id or display name")
    listing.add_argument("--tag", default=None, help="KEY or KEY=VALUE")
    listing.add_argument("--sort", default="submitted", choices=list(SORTS))
    listing.add_argument("--asc", action="store_true", help="ascending (default: descending)")
    listing.add_argument("--limit", type=int, default=50, help="runs per page (default 50)")
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--all", action="store_true", help="include child and step runs")
    listing.set_defaults(func=cmd_list)
    show = add_common(actions.add_parser("show", help="a run's details, metrics, files and children"))
    show.add_argument("run_id")
    show.set_defaults(func=cmd_show)
    logs = add_common(actions.add_parser("logs", help="print a run's log (--follow: until it ends)"))
    logs.add_argument("run_id")
    logs.add_argument("--name", default=None, help="log file (default: user_logs/std_log.txt, else the driver log)")
    logs.add_argument("--follow", "-f", action="store_true")
    logs.set_defaults(func=cmd_logs)
    cancel = add_common(actions.add_parser("cancel", help="cancel a queued or running run (and its children)"))
    cancel.add_argument("run_id")
    cancel.set_defaults(func=cmd_cancel)
