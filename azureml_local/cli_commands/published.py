"""``azureml-local pipelines list`` and ``azureml-local endpoints list``."""
from __future__ import annotations

import argparse

from azureml_local.cli_commands.common import add_common, context, emit
from azureml_local.studio import cli_views


def cmd_pipelines(args: argparse.Namespace) -> int:
    rows = cli_views.pipelines_list(context(args))
    text = cli_views.table(rows, (("id", "ID"), ("name", "NAME"), ("version", "VERSION"), ("status", "STATUS"),
                                  ("runs", "RUNS"), ("url", "REST URL"))) if rows else "No published pipelines."
    return emit(args, rows, text)


def cmd_endpoints(args: argparse.Namespace) -> int:
    rows = cli_views.endpoints_list(context(args))
    text = cli_views.table(rows, (("id", "ID"), ("name", "NAME"), ("status", "STATUS"),
                                  ("default_version", "DEFAULT"), ("url", "REST URL"))) if rows \
        else "No pipeline endpoints."
    return emit(args, rows, text)


def register(sub: "argparse._SubParsersAction") -> None:
    for name, func, what in (("pipelines", cmd_pipelines, "published pipelines with their REST URL"),
                             ("endpoints", cmd_endpoints, "pipeline endpoints with their REST URL")):
        parser = sub.add_parser(name, help=what)
        actions = parser.add_subparsers(dest="action", required=True)
        add_common(actions.add_parser("list", help=what)).set_defaults(func=func)
