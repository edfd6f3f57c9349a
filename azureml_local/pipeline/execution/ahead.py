"""The folders of a pipeline's next steps, made while the steps they wait for still run.

A step's start is on the pipeline's critical path; making its run folder (log files, ``wd/outputs``)
is file-system metadata work that does not depend on its inputs. So once every step a pending step
waits for has at least started, a step run id is chosen for it and its folders are made on the
background threads, after the running steps' launches (``PipelineContext.after_launches``);
``execute_step`` then takes that id. A step that starts before its folders are made takes a new id
and makes them itself. Folders never taken (a failed or canceled run) are removed when the pipeline
ends: they have no run record.
"""
from __future__ import annotations

import logging
import shutil
import threading
import uuid
from typing import Iterable

from azureml_local.engine.execute import prepare_run_folder, run_folder
from azureml_local.pipeline.execution import executors
from azureml_local.pipeline.execution.context import PipelineContext
from azureml_local.pipeline.execution.script_step import run_script_step

log = logging.getLogger(__name__)


class PreparedStep:
    """One pending step's run id and folders, made at most once and taken at most once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held while the folders are made: a taker waits for them
        self.run_id: str | None = None
        self.taken = False


def prepare_next(ctx: PipelineContext, steps: dict[str, dict], deps: dict[str, set[str]],
                 pending: Iterable[str], started: Iterable[str]) -> None:
    """Have the folders made of every pending step whose dependencies have all started or completed."""
    begun = set(started) | {node for node, result in ctx.results.items() if result.status == "Completed"}
    for node in pending:
        if node not in ctx.prepared and deps[node] <= begun:
            slot = ctx.prepared[node] = PreparedStep()
            ctx.after_launches(_prepare, ctx, steps[node], slot)


def take_run_id(ctx: PipelineContext, node_id: str) -> str:
    """The step run id whose folders were made ahead for ``node_id``, else a new one."""
    slot = ctx.prepared.get(node_id)
    if slot is None:
        return str(uuid.uuid4())
    with slot.lock:
        slot.taken = True
        return slot.run_id or str(uuid.uuid4())


def discard_unused(ctx: PipelineContext) -> None:
    """Remove the folders made for steps that never started (once no background work is left)."""
    for slot in ctx.prepared.values():
        if slot.run_id is not None and not slot.taken:
            shutil.rmtree(run_folder(ctx.ws, slot.run_id), ignore_errors=True)
    ctx.prepared.clear()


def _prepare(ctx: PipelineContext, step: dict, slot: PreparedStep) -> None:
    with slot.lock:
        if slot.taken or ctx.cancel.is_set():
            return
        run_id = str(uuid.uuid4())
        try:
            prepare_run_folder(ctx.ws, run_id, working_dir=_runs_a_script(step) and not _may_be_reused(ctx, step))
        except OSError as exc:  # e.g. a full disk: the step then fails making them itself, with the message
            log.debug("could not make the folders of step %s ahead: %s", step["node_id"], exc)
            shutil.rmtree(run_folder(ctx.ws, run_id), ignore_errors=True)
            return
        slot.run_id = run_id


def _runs_a_script(step: dict) -> bool:
    try:
        return executors.executor_for(step) is run_script_step
    except ValueError:  # an unknown kind fails when the step starts, with the known kinds listed
        return False


def _may_be_reused(ctx: PipelineContext, step: dict) -> bool:
    """A reused step gets no working directory, and reuse depends on the inputs: only steps that are
    never reused (``regenerate_outputs``, ``allow_reuse=False``) get one ahead."""
    return not ctx.regenerate_outputs and step.get("allow_reuse", True)
