"""``wait_for_completion`` and the SDK's log streaming format (sdk-v1-behaviour.md section f).

Polls the local database fast (5 ms growing to 200 ms) instead of the SDK's
2-60 s, so a short script's submit+wait costs little more than the script.
Streams the run's live log file while it runs. Every ~2 s it checks that the
run's executor is alive, so a killed runner never leaves a waiter hanging.
"""
from __future__ import annotations

import json
import sys
import time
from typing import IO, Any

from azureml_local import status as states
from azureml_local.engine.execute import log_paths
from azureml_local.engine.recovery import recover_if_orphaned
from azureml_local.exceptions import ActivityFailedException, ExperimentExecutionException
from azureml_local.service import control as service_control

NO_ERROR = "Detailed error not set on the Run. Please check the logs for details."
_LIVENESS_EVERY = 2.0


class _Poller:
    def __init__(self) -> None:
        self.delay = 0.005
        self.start = self.last_check = time.monotonic()

    def sleep(self) -> None:
        """5 ms for the first 2 s (one indexed SELECT each: cheap), then growing to 200 ms."""
        time.sleep(self.delay)
        if time.monotonic() - self.start > 2.0:
            self.delay = min(0.2, self.delay * 1.2)


def _check_liveness(run: Any, poller: _Poller) -> None:
    """Recover a run whose executor died (orphan) or whose queue has no runner."""
    if time.monotonic() - poller.last_check < _LIVENESS_EVERY:
        return
    poller.last_check = time.monotonic()
    recover_or_wake(run._ws, run._run_id)


def recover_or_wake(ws: Any, run_id: str) -> bool:
    """Fail the run when its executor died (True); wake the service when it waits in the queue with none
    (a service killed before claiming it), so a waiter never hangs. For every run type's waiter."""
    ctx = ws._context
    if recover_if_orphaned(ctx, run_id):
        return True
    if ctx.runs.is_queued(run_id):
        service_control.wake(ws)
    return False


def wait(run: Any, show_output: bool = False, wait_post_processing: bool = False,
         raise_on_error: bool = True) -> dict:
    if show_output:
        try:
            _stream(run, sys.stdout, wait_post_processing, raise_on_error)
            return run.get_details()
        except KeyboardInterrupt:
            raise ExperimentExecutionException(
                "The output streaming for the run interrupted.\n"
                "But the run is still executing on the compute target. \n"
                "Details for canceling the run can be found here: https://aka.ms/aml-docs-cancel-run")
    # Finalizing (outputs/logs upload) and CancelRequested are waited for too: locally it is short, and a caller reading files
    # right after wait_for_completion() must find them (the SDK's streaming path also waits through it).
    running = set(states.RUNNING_STATES) | set(states.POST_PROCESSING_STATES)
    poller = _Poller()
    status = run._ws._context.runs.status(run._run_id)
    while status in running or (status not in states.ALL_STATES):
        poller.sleep()
        _check_liveness(run, poller)
        status = run._ws._context.runs.status(run._run_id)
    details = run.get_details()
    if status == "Failed" and raise_on_error:
        raise ActivityFailedException(error_details=json.dumps(details.get("error") or NO_ERROR, indent=4))
    return details


def _read_log(run: Any, name: str) -> str:
    """The whole text of a run log (local file while it exists, else the artifact)."""
    local = log_paths(run._ws, run._run_id).get(name)
    if local is not None and local.exists():
        return local.read_text(errors="replace")
    try:
        return run._download_artifact_contents_to_string(name)
    except Exception:  # noqa: BLE001 - no log yet
        return ""


class _LogReader:
    """Reads only what a log gained since the last call (local file), or the whole artifact once."""

    def __init__(self, run: Any):
        import codecs

        self.run = run
        self.offset = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def read(self, name: str) -> str:
        local = log_paths(self.run._ws, self.run._run_id).get(name)
        if local is not None and local.exists():
            with open(local, "rb") as fh:
                fh.seek(self.offset)
                data = fh.read()
            self.offset += len(data)
            return self.decoder.decode(data)
        if self.offset:
            return ""
        self.offset = 1
        return _read_log(self.run, name)


def _available_logs(run: Any, active: bool) -> list[str]:
    """Streamable log names: local files while running (stat only), the run's full list once it ended."""
    names = [n for n, p in log_paths(run._ws, run._run_id).items() if p.exists()]
    if not names and not active:
        names = list(run.get_details()["logFiles"])
    return sorted(n for n in names if run._log_pattern.match(n))


def _stream(run: Any, out: IO[str], wait_post_processing: bool, raise_on_error: bool) -> None:
    url = run.get_portal_url()
    out.write(f"RunId: {run.id}\n")
    out.write(f"Web View: {url}\n")
    running = set(states.RUNNING_STATES)
    if wait_post_processing:
        running |= set(states.POST_PROCESSING_STATES)
    current, buffer, reader = None, "", _LogReader(run)
    poller = _Poller()
    running |= set(states.POST_PROCESSING_STATES)  # locally short; see wait()
    first = True  # a run that ended before we looked still gets its log printed once
    status = run._ws._context.runs.status(run._run_id)
    while first or status in running:
        first = False
        out.flush()
        poller.sleep()
        _check_liveness(run, poller)
        status = run._ws._context.runs.status(run._run_id)  # cheap poll; full details once at the end
        logs = _available_logs(run, status in running)
        if logs and logs[-1] != current:
            current, buffer, reader = logs[-1], "", _LogReader(run)
            out.write("\n")
            out.write("Streaming " + current + "\n")
            out.write("=" * (len(current) + 10) + "\n")
            out.write("\n")
        if current:
            buffer += reader.read(current)
            *lines, buffer = buffer.split("\n")  # never print a half-written line while running
            if status not in running and buffer:
                lines.append(buffer)
                buffer = ""
            for line in lines:
                out.write(line + "\n")
    details = run.get_details()
    out.write("\n")
    out.write("Execution Summary\n")
    out.write("=================\n")
    out.write(f"RunId: {run.id}\n")
    out.write(f"Web View: {url}\n")
    messages = [w.get("message") for w in details.get("warnings") or [] if w.get("message")]
    if messages:
        out.write("\nWarnings:\n")
        for message in messages:
            out.write(message + "\n")
        out.write("\n")
    error = details.get("error") or NO_ERROR
    if details["status"] == "Failed":
        if not raise_on_error:
            out.write("\nError:\n")
            out.write(json.dumps(error, indent=4))
            out.write("\n")
        else:
            raise ActivityFailedException(error_details=json.dumps(error, indent=4))
    out.write("\n")
    out.flush()
