"""What every look-at-the-workspace command shares: ``--path``/``--json`` and the workspace context."""
from __future__ import annotations

import argparse
from typing import Any

from azureml_local.context import WorkspaceContext
from azureml_local.studio.cli_views import dumps
from azureml_local.workspace import Workspace


def add_common(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--path", default=None, help="folder of .azureml/config.json (default: search upwards)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def context(args: argparse.Namespace) -> WorkspaceContext:
    return Workspace.from_config(args.path)._context


def emit(args: argparse.Namespace, data: Any, text: str) -> int:
    print(dumps(data) if args.json else text)
    return 0
