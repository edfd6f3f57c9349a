"""The dispatcher: claims, worker threads, idle exit, folder-gone exit, and what a stop does to runs.

Claims and exits run the dispatcher in this process (its own event loop, handlers from the
plugin table); the stop cases use a real service process, since they are about signals.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from azureml.core import Experiment, ScriptRunConfig
from azureml_local import plugins
from azureml_local.context import WorkspaceContext
from azureml_local.store.runs import new_run_id
from azureml_local.service import control
from azureml_local.service.dispatcher import STOPPED_MESSAGE, Dispatcher
from azureml_local.service.info import ServiceInfo, read_info
from service_helpers import sleeper, wait_gone, wait_running_with_pid

HANDLED: list[tuple[object, str, str]] = []


def _complete(ctx, run_id: str) -> None:
    HANDLED.append((ctx, run_id, threading.current_thread().name))
    ctx.runs.set_status(run_id, "Completed")


def _forget(ctx, run_id: str) -> None:
    """A broken handler: returns without giving the run a final status."""


@pytest.fixture(autouse=True)
def handlers():
    HANDLED.clear()
    plugins.register("handlers", "test.Complete", _complete)
    plugins.register("handlers", "test.Forget", _forget)
    yield
    plugins.unregister("handlers", "test.Complete")
    plugins.unregister("handlers", "test.Forget")


def _queue(ws, run_type: str = "test.Complete") -> str:
    return ws._context.runs.create_run("dispatch", new_run_id(), run_type=run_type, status="Queued",
                                       enqueue_handler="")


async def _run_until(dispatcher: Dispatcher, done, timeout: float = 10) -> None:
    """Run the dispatcher until ``done()`` holds, then stop it."""
    task = dispatcher.start()
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    await dispatcher.shutdown()
    assert task.done()


def test_claims_queued_runs_and_runs_each_handler_in_a_worker_thread(ws) -> None:
    ctx = ws._context
    run_ids = [_queue(ws) for _ in range(3)]
    dispatcher = Dispatcher(ctx, idle=60)
    asyncio.run(_run_until(dispatcher, lambda: len(HANDLED) == 3))
    assert sorted(run_id for _, run_id, _ in HANDLED) == sorted(run_ids)
    assert all(isinstance(handled_ctx, WorkspaceContext) for handled_ctx, _, _ in HANDLED)
    assert {thread for _, _, thread in HANDLED} == {f"run-{run_id}" for run_id in run_ids}
    for run_id in run_ids:
        row = ws._context.runs.run(run_id)
        assert (row["status"], row["runner_pid"]) == ("Completed", os.getpid())
    assert ctx.queue.queued_count() == 0
    assert dispatcher.reason == "stopped"


def test_a_wake_claims_a_run_queued_after_the_first_scan(ws) -> None:
    ctx = ws._context
    dispatcher = Dispatcher(ctx, idle=60)

    async def scenario() -> float:
        dispatcher.start()
        dispatcher.serving()  # normal 1 s tick: only the wake makes the claim quick
        await asyncio.sleep(0.1)
        run_id = _queue(ws)
        start = time.monotonic()
        dispatcher.wake()
        while not HANDLED and time.monotonic() - start < 5:
            await asyncio.sleep(0.005)
        await dispatcher.shutdown()
        assert ws._context.runs.status(run_id) == "Completed"
        return time.monotonic() - start

    assert asyncio.run(scenario()) < 0.5


def test_a_handler_that_leaves_the_run_active_or_is_unknown_fails_the_run(ws) -> None:
    forgotten, unknown = _queue(ws, "test.Forget"), _queue(ws, "nobody.Handles")
    dispatcher = Dispatcher(ws._context, idle=60)
    ended = lambda: all(ws._context.runs.status(r) == "Failed" for r in (forgotten, unknown))  # noqa: E731
    asyncio.run(_run_until(dispatcher, ended))
    assert "without giving the run a final status" in _error(ws, forgotten)
    assert "No handler is registered for run type 'nobody.Handles'" in _error(ws, unknown)


def test_a_run_cancelled_while_queued_is_not_executed(ws) -> None:
    run_id = _queue(ws)
    with ws._store.transaction() as conn:  # cancelled between queueing and the claim
        conn.execute("UPDATE runs SET status='Canceled' WHERE run_id=?", (run_id,))
    dispatcher = Dispatcher(ws._context, idle=60)
    asyncio.run(_run_until(dispatcher, lambda: ws._context.queue.queued_count() == 0 and not dispatcher.active))
    assert HANDLED == [] and ws._context.runs.status(run_id) == "Canceled"


def test_idle_exit_withdraws_service_json(ws) -> None:
    ctx = ws._context
    info = ServiceInfo(ctx.folder, {"port": 1, "url": "http://127.0.0.1:1", "token": "t"})
    dispatcher = Dispatcher(ctx, idle=0.2, info=info)

    async def scenario() -> str:
        task = dispatcher.start()
        await asyncio.sleep(0.3)
        assert not task.done()  # no idle countdown before the service serves
        dispatcher.serving()
        assert read_info(ctx.folder)["pid"] == os.getpid()
        return await asyncio.wait_for(task, 5)

    start = time.monotonic()
    assert asyncio.run(scenario()) == "idle"
    assert time.monotonic() - start < 3
    assert read_info(ctx.folder) is None


def test_exits_within_seconds_when_the_workspace_folder_is_deleted(ws) -> None:
    ctx = WorkspaceContext.for_folder(ws._local_folder)
    dispatcher = Dispatcher(ctx, idle=600)

    async def scenario() -> tuple[str, float]:
        task = dispatcher.start()
        dispatcher.serving()
        await asyncio.sleep(0.2)
        shutil.rmtree(ctx.folder)
        start = time.monotonic()
        reason = await asyncio.wait_for(task, 10)
        await dispatcher.shutdown()
        return reason, time.monotonic() - start

    reason, took = asyncio.run(scenario())
    assert reason == "folder-gone"
    assert took < 3


def test_the_service_process_exits_when_its_workspace_folder_is_deleted(ws, tmp_path: Path, delete_in_use) -> None:
    run = Experiment(ws, "gone").submit(ScriptRunConfig(str(sleeper(tmp_path)), "train.py"))
    script_pid = wait_running_with_pid(ws, run.id)
    service_pid = ws._context.runs.run(run.id)["runner_pid"]
    delete_in_use(ws._local_folder)
    assert wait_gone(service_pid, timeout=8), "the service outlived its workspace folder"
    assert wait_gone(script_pid, timeout=5), "the run's process outlived its workspace folder"
    assert not ws._local_folder.exists()  # nothing brought it back


def test_a_pipeline_whose_workspace_folder_is_deleted_leaves_nothing_behind(ws, tmp_path: Path,
                                                                            delete_in_use) -> None:
    """While the first step of a chain runs, the service has made the next step's run folder ahead;
    deleting the workspace then ends the service and the folder stays gone (no run folder made again)."""
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    src = sleeper(tmp_path)
    (src / "next.py").write_text("print('never')\n")
    first = PythonScriptStep(script_name="train.py", source_directory=str(src), allow_reuse=False, name="first")
    second = PythonScriptStep(script_name="next.py", source_directory=str(src), allow_reuse=False, name="second")
    second.run_after(first)
    run = Pipeline(ws, [first, second]).submit("deleted-mid-pipeline")
    deadline = time.time() + 30
    while not list(run.get_children()) and time.time() < deadline:
        time.sleep(0.05)
    children = list(run.get_children())
    assert children, "the first step never started"
    step_run_id = children[0].id
    script_pid = wait_running_with_pid(ws, step_run_id)
    service_pid = ws._context.runs.run(step_run_id)["runner_pid"]
    runs = ws._local_folder / "runs"
    made_ahead = lambda: {p.name for p in runs.iterdir()} - {run.id, step_run_id}  # noqa: E731
    deadline = time.time() + 10
    while not made_ahead() and time.time() < deadline:
        time.sleep(0.02)
    assert len(made_ahead()) == 1, (run.id, step_run_id, list(runs.iterdir()))  # the second step's
    delete_in_use(ws._local_folder)
    assert wait_gone(service_pid, timeout=8), "the service outlived its workspace folder"
    assert wait_gone(script_pid, timeout=5)
    assert not ws._local_folder.exists(), sorted(str(p) for p in ws._local_folder.rglob("*"))


def test_sigterm_fails_what_the_service_runs_and_kills_its_processes(ws, tmp_path: Path) -> None:
    run = Experiment(ws, "term").submit(ScriptRunConfig(str(sleeper(tmp_path)), "train.py"))
    script_pid = wait_running_with_pid(ws, run.id)
    info = control.ensure_service(ws, wait=True)  # serving: uvicorn's own signal handling is in place
    os.kill(info["pid"], signal.SIGTERM)
    assert wait_gone(info["pid"])
    assert ws._context.runs.status(run.id) == "Failed"
    assert STOPPED_MESSAGE in _error(ws, run.id)
    assert wait_gone(script_pid, timeout=5)
    assert not (ws._local_folder / "service.json").exists()


def _error(ws, run_id: str) -> str:
    return ws._context.runs.error(run_id)["error"]["message"]
