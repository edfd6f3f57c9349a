"""``ScriptJob``: everything needed to execute one script as one run.

Built by the script-run handler (ScriptRunConfig) and by pipeline steps; run
with :func:`azureml_local.engine.execute_script_job`. Plain data plus optional
hooks, so callers add data binding without the engine knowing about datasets.
"""
from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

Hook = Callable[["ScriptJob", Path], None]
AfterHook = Callable[["ScriptJob", Path, int], None]


@dataclass
class ScriptJob:
    """One script execution, attached to an existing run row (``run_id``).

    * ``snapshot_dir``: read-only source (usually from ``engine.snapshot.snapshot``),
      copied into ``working_dir`` before launch; ``None`` = run in ``working_dir`` as is.
    * ``script`` + ``arguments`` run as ``python script *arguments``; or ``command``
      (a list = argv, a str = shell command line) instead of a script.
    * ``environment_variables`` are added on top of the run-context variables.
    * ``output_uploads``: ``(folder, artifact prefix)`` pairs uploaded as run
      artifacts after the process (relative folders are inside ``working_dir``);
      missing folders are skipped.
    * ``before_launch(job, working_dir)`` hooks may edit ``arguments`` /
      ``environment_variables`` (data binding); an exception fails the run.
    * ``after_launch(job)`` hooks run once the process has been started (its pid recorded).
    * ``after_process(job, working_dir, exit_code)`` hooks run after a successful
      exit, before the run turns Completed (e.g. upload/register outputs).
    * ``experiment_id``: the run's experiment when the caller knows it (spares reading the run row).
    * ``timeout_seconds``: the process is killed and the run Failed after this long.
    * ``unmount_after_upload`` (with ``defer_completion``): the working directory's overlay stays
      mounted until ``complete`` uploads the files, so unmounting is off the pipeline's critical path.
      Only for jobs whose working directory nobody else reads meanwhile (no bound output folder in it).
    * ``defer_completion``: when the process and hooks succeed, ``execute_script_job`` returns
      ``"Completed"`` at once with the run still ``Finalizing``, and sets ``complete``: calling it
      (e.g. in a background upload thread) uploads outputs and logs and records the final status,
      which it returns. Pipelines use it to start the next step while the last one's files upload.
    """

    run_id: str
    experiment_name: str
    snapshot_dir: Union[str, Path, None] = None
    script: str | None = None
    arguments: list = field(default_factory=list)
    command: Union[list, str, None] = None
    environment_variables: dict = field(default_factory=dict)
    working_dir: Union[str, Path, None] = None
    output_uploads: list = field(default_factory=lambda: [("outputs", "outputs")])
    timeout_seconds: float | None = None
    before_launch: list = field(default_factory=list)
    after_launch: list = field(default_factory=list)
    after_process: list = field(default_factory=list)
    python: str = sys.executable
    target: str = "local"
    experiment_id: str | None = None
    defer_completion: bool = False
    unmount_after_upload: bool = False
    complete: Callable[[], str] | None = None

    def argv(self) -> list[str] | str:
        """What is launched (shell string for a ``str`` command)."""
        if self.command is not None:
            # "python ..." means the run's interpreter (the environment's python in the cloud)
            if isinstance(self.command, str):
                head, _, rest = self.command.partition(" ")
                return f"{shlex.quote(self.python)} {rest}" if head in ("python", "python3") else self.command
            argv = [str(c) for c in self.command]
            if argv and argv[0] in ("python", "python3"):
                argv[0] = self.python
            return argv
        if not self.script:
            raise ValueError("ScriptJob needs a script or a command")
        return [self.python, str(self.script), *[str(a) for a in self.arguments]]
