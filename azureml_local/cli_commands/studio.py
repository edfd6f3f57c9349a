"""``azureml-local studio [--open]``: start the workspace service if needed and print the Studio's URL."""
from __future__ import annotations

import argparse
import sys
import webbrowser

from azureml_local.cli_commands.common import add_common, context, emit
from azureml_local.service import control, urls


def cmd_studio(args: argparse.Namespace) -> int:
    ctx = context(args)
    if control.service_info(ctx) is None and not args.json:
        print("Starting the workspace service...", file=sys.stderr, flush=True)
    info = control.start_service(ctx)
    url = urls.studio_url(ctx)
    if args.open:
        webbrowser.open(url)
    return emit(args, {"url": url, "service": {"pid": info.get("pid"), "url": info.get("url")}},
                f"Studio: {url}\n(the link carries a token of this workspace; keep it to yourself)")


def register(sub: "argparse._SubParsersAction") -> None:
    parser = add_common(sub.add_parser("studio", help="print (or --open) the URL of the local Studio"))
    parser.add_argument("--open", action="store_true", help="open it in the default browser")
    parser.set_defaults(func=cmd_studio)
