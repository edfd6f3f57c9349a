"""The folders of a pipeline's next steps, made while the steps they wait for still run.

A step's start is on the pipeline's critical path; making its run folder (log files, ``wd/outputs``)
and mounting its working directory's overlay is file-system work that does not depend on its inputs.
So once every step a pending step waits for has at least started, a step run id is chosen for it and
its folders are made (and, in the workspace service, its overlay mounted:
``LocalProcessLauncher.mount_ahead``) on the background threads, after the running steps' launches
(``PipelineContext.after_launches``); ``execute_step`` then takes that id. A step that starts before
they are made takes a new id and makes them itself. When the pipeline ends, an overlay still mounted
(its step never launched) is unmounted, and folders never taken (a failed or canceled run) are
removed: they have no run record.
"""
from __future__ import annotations

import logging
import shutil
import threading
import uuid
from pathlib import Path
from typing import Iterable

from azureml_local.engine import dask_clusters, workdir
from azureml_local.engine.execute import prepare_run_folder, run_folder
from azureml_local.engine.launchers import LocalProcessLauncher
from azureml_local.pipeline.execution import executors
from azureml_local.pipeline.execution.context import PipelineContext
from azureml_local.pipeline.execution.script_step import known_snapshot_dir, run_script_step

log = logging.getLogger(__name__)
MAX_WAITING = 8


class PreparedStep:
    """One pending step's run id and folders, made at most once and taken at most once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held while the folders are made: a taker waits for them
        self.run_id: str | None = None
        self.taken = False
        self.mounted: Path | None = None  # the working directory, when its overlay was mounted ahead


def prepare_next(ctx: PipelineContext, steps: dict[str, dict], deps: dict[str, set[str]],
                 pending: Iterable[str], started: Iterable[str]) -> None:
    """Have the folders made of the pending steps whose dependencies have all started or completed, at
    most ``MAX_WAITING`` not yet taken at a time (a wide fan-out does not mount hundreds of overlays)."""
    begun = set(started) | {node for node, result in ctx.results.items() if result.status == "Completed"}
    waiting = sum(not slot.taken for slot in ctx.prepared.values())
    for node in pending:
        if waiting >= MAX_WAITING:
            return
        if node not in ctx.prepared and deps[node] <= begun:
            slot = ctx.prepared[node] = PreparedStep()
            ctx.after_launches(_prepare, ctx, steps[node], slot)
            waiting += 1


def take_run_id(ctx: PipelineContext, node_id: str) -> str:
    """The step run id whose folders were made ahead for ``node_id``, else a new one."""
    slot = ctx.prepared.get(node_id)
    if slot is None:
        return str(uuid.uuid4())
    with slot.lock:
        slot.taken = True
        return slot.run_id or str(uuid.uuid4())


def discard_unused(ctx: PipelineContext) -> None:
    """Unmount the overlays whose steps never launched (they failed before, or never started) and remove
    the folders of steps that never started; call once no background work is left."""
    for slot in ctx.prepared.values():
        if slot.mounted is not None and workdir.is_mounted(slot.mounted):
            _release(slot.mounted)
        if slot.run_id is not None and not slot.taken:
            shutil.rmtree(run_folder(ctx.ws, slot.run_id), ignore_errors=True)
    ctx.prepared.clear()


def _prepare(ctx: PipelineContext, step: dict, slot: PreparedStep) -> None:
    with slot.lock:
        if slot.taken or ctx.cancel.is_set():
            return
        run_id = str(uuid.uuid4())
        working_dir = _runs_a_script(step) and not _may_be_reused(ctx, step)
        try:
            prepare_run_folder(ctx.ws, run_id, working_dir=working_dir)
            if working_dir and _may_mount_ahead(ctx, step):
                slot.mounted = _mount_ahead(ctx, step, run_folder(ctx.ws, run_id) / "wd")
        except Exception as exc:  # noqa: BLE001 - e.g. a full disk: the step meets it again itself, and reports it
            log.debug("could not make the folders of step %s ahead: %s", step["node_id"], exc)
            if slot.mounted is not None:
                _release(slot.mounted)
                slot.mounted = None
            shutil.rmtree(run_folder(ctx.ws, run_id), ignore_errors=True)
            return
        slot.run_id = run_id


def _release(work_dir: Path) -> None:
    try:
        workdir.release(work_dir)
    except OSError as exc:  # the pipeline still ends with its status; the mount ends with the service
        log.warning("could not unmount %s: %s", work_dir, exc)


def _runs_a_script(step: dict) -> bool:
    try:
        return executors.executor_for(step) is run_script_step
    except ValueError:  # an unknown kind fails when the step starts, with the known kinds listed
        return False


def _may_be_reused(ctx: PipelineContext, step: dict) -> bool:
    """A reused step gets no working directory, and reuse depends on the inputs: only steps that are
    never reused (``regenerate_outputs``, ``allow_reuse=False``) get one ahead."""
    return not ctx.regenerate_outputs and step.get("allow_reuse", True)


def _may_mount_ahead(ctx: PipelineContext, step: dict) -> bool:
    """A local step none of whose outputs is bound inside its working directory (an output's
    ``source``/``path_on_compute``, a DataReference uploaded from there): such folders must be made
    before the mount (``LocalProcessLauncher.mount_ahead``)."""
    if any(out.get("source") or out.get("path_on_compute") or out.get("kind") == "datastore_path"
           for out in step.get("outputs") or []):
        return False
    target = step.get("compute_target") or "local"
    return target == "local" or dask_clusters.scheduler_address(ctx.ws._context, target) is None


def _mount_ahead(ctx: PipelineContext, step: dict, work_dir: Path) -> Path | None:
    snapshot_dir = known_snapshot_dir(ctx, step)
    if snapshot_dir is None or not LocalProcessLauncher.mount_ahead(snapshot_dir, work_dir):
        return None
    return work_dir
