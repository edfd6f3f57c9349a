"""``CommandStep``: run a shell-style command (``python train.py --x 1``) as a step."""
from __future__ import annotations

import os
import shlex
from typing import Any

from azureml_local.pipeline.steps.python_script_step import _PythonScriptStepBase


class CommandStep(_PythonScriptStepBase):
    """A step that runs ``command`` (a string, or a list whose items may be data objects)."""

    def __init__(self, command: Any = None, name: str | None = None, compute_target: Any = None,
                 runconfig: Any = None, runconfig_pipeline_params: dict | None = None, inputs: list | None = None,
                 outputs: list | None = None, params: dict | None = None, source_directory: str | None = None,
                 allow_reuse: bool = True, version: str | None = None):
        if runconfig is not None:
            if type(runconfig).__name__ == "ScriptRunConfig":
                source_directory = source_directory or runconfig.source_directory
                if getattr(runconfig, "command", None):
                    runconfig.run_config.command = runconfig.command
                runconfig = runconfig.run_config
            command = command if command else getattr(runconfig, "command", None)
            runconfig.command = None  # as in the SDK: the command travels in the step, not the runconfig
        if not command:
            raise ValueError("command is required either from command directly or runconfig.")
        if not name:
            name = "CommandStep_" + (command[0] if isinstance(command, list) else command).split(" ", 1)[0]
        if isinstance(command, list):
            split_command = shlex.split(command[0])
            arguments = split_command[1:] + list(command[1:])
        else:
            split_command = shlex.split(command)
            arguments = split_command[1:]
        program = split_command[0]
        if source_directory and not os.path.isdir(source_directory):
            raise ValueError("source_directory should be an existing directory "
                             "or None for commands already in the target system.")
        if not source_directory:
            source_directory = os.getcwd()
        super().__init__(command=program, script_name=None, name=name, arguments=arguments,
                         compute_target=compute_target, runconfig=runconfig,
                         runconfig_pipeline_params=runconfig_pipeline_params, inputs=inputs, outputs=outputs,
                         params=params, source_directory=source_directory, allow_reuse=allow_reuse, version=version)
