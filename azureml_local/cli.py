"""``azureml-local``: set up, create a local workspace, and manage its background processes.

    azureml-local setup                      install Azurite (npm) into ~/.azureml-local/node
    azureml-local init [--name N] [--subscription-id S] [--resource-group R] [--path DIR]
                                             create a local workspace and write .azureml/config.json
    azureml-local info [--path DIR]          where the workspace in config.json lives, and its backends
    azureml-local service start [--foreground] [--host HOST] [--path DIR]
    azureml-local service status|stop|port [--path DIR]
                                             the workspace service (REST endpoints, queue, schedules)
    azureml-local schedules list | history SCHEDULE_ID [--limit N]   (also: schedule)
                                             schedules, their next fire and each fire's run or error
    azureml-local studio [--open]            the local Studio's URL (starts the service)
    azureml-local runs list|show|logs|cancel runs: listing, details, log (--follow), cancel
    azureml-local pipelines list | endpoints list
                                             published pipelines / pipeline endpoints and their REST URLs
    (every look-at-the-workspace command takes --path DIR and --json; azureml_local/cli_commands/)
    azureml-local prune                      stop Azurite processes whose workspace folder is gone

Each command only parses arguments and calls a function of the package.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from azureml_local import cli_commands
from azureml_local.exceptions import AzureMLException
from azureml_local.service import control
from azureml_local.service.urls import is_loopback, service_port
from azureml_local.store.azurite import install_azurite, prune_orphans
from azureml_local.workspace import Workspace


def _workspace(path: str | None):
    return Workspace.from_config(path)


def cmd_setup(args: argparse.Namespace) -> int:
    print(f"Azurite installed: {install_azurite()}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    ws = Workspace.create(args.name, subscription_id=args.subscription_id, resource_group=args.resource_group,
                          exist_ok=True, show_output=False)
    ws.write_config(path=args.path)
    print(f"Local workspace '{ws.name}' ready in {ws._local_folder}; config written to {args.path}/.azureml/config.json")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    ws = _workspace(args.path)
    info = {"name": ws.name, "subscription_id": ws.subscription_id, "resource_group": ws.resource_group,
            "folder": str(ws._local_folder), "blob_backend": ws._blobs.kind}
    print(json.dumps(info, indent=2))
    return 0


def cmd_service(args: argparse.Namespace) -> int:
    ws = _workspace(args.path)
    if args.action == "stop":
        control.stop_workspace_processes(ws)
        print("stopped")
        return 0
    if args.action == "port":
        print(service_port(ws))
        return 0
    if args.action == "start" and args.foreground:
        return _exec_foreground(ws, args.host)
    if args.action == "start":
        if args.host and not is_loopback(args.host):
            print(f"warning: the service will listen on {args.host}, not on loopback (docs/service.md)",
                  file=sys.stderr)
        control.start_service(ws, host=args.host)
    print(json.dumps(control.service_status(ws), indent=2, default=str))
    return 0


def _exec_foreground(ws, host: str | None) -> int:
    """Become the service (exec): its log goes to this terminal, Ctrl-C stops it, it never exits idle."""
    info = control.service_info(ws)
    if info is not None:
        print(f"error: the service of this workspace already runs (pid {info['pid']}, {info['url']}); "
              f"stop it first with `azureml-local service stop`.", file=sys.stderr)
        return 2
    folder = ws._context.folder.resolve()
    command = control.service_command(folder, host, foreground=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(folder)
    os.execv(command[0], command)
    return 0  # not reached


def cmd_prune(args: argparse.Namespace) -> int:
    stopped = prune_orphans()
    print(f"stopped {len(stopped)} orphaned Azurite process(es)" + (f": {stopped}" if stopped else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="azureml-local", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="install Azurite with npm").set_defaults(func=cmd_setup)
    init = sub.add_parser("init", help="create a local workspace and its config.json")
    init.add_argument("--name", default="local-workspace")
    init.add_argument("--subscription-id", default="00000000-0000-0000-0000-000000000000")
    init.add_argument("--resource-group", default="local-rg")
    init.add_argument("--path", default=".")
    init.set_defaults(func=cmd_init)
    info = sub.add_parser("info", help="show the workspace of config.json")
    info.add_argument("--path", default=None)
    info.set_defaults(func=cmd_info)
    service = sub.add_parser("service", help="start, status, stop or port of the workspace service")
    service.add_argument("action", choices=["start", "status", "stop", "port"])
    service.add_argument("--path", default=None)
    service.add_argument("--foreground", action="store_true",
                         help="start: run in this terminal (Ctrl-C stops it; no idle exit); used by docker/")
    service.add_argument("--host", default=None,
                         help="start: address to listen on (default $AZUREML_LOCAL_SERVICE_HOST or 127.0.0.1)")
    service.set_defaults(func=cmd_service)
    cli_commands.register(sub)
    sub.add_parser("prune", help="stop Azurite processes whose workspace folder is gone").set_defaults(func=cmd_prune)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AzureMLException as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
