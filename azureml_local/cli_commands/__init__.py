"""The ``azureml-local`` commands that look at a workspace: studio, runs, pipelines, endpoints, schedules.

Each module adds its subcommands to the parser (``register``) and only parses arguments, calls
``azureml_local.studio`` and prints text or, with ``--json``, JSON.
"""
from __future__ import annotations

import argparse

from azureml_local.cli_commands import published, runs, schedules, studio


def register(sub: "argparse._SubParsersAction") -> None:
    for module in (studio, runs, published, schedules):
        module.register(sub)
