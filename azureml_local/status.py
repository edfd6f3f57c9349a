"""Run states, their transitions and the SDK's status vocabularies: the only copy.

The run history (``runs.status``) is the one home of a run's status, in the run-history
vocabulary (sdk-v1-behaviour.md section f). ``PipelineRun`` and ``StepRun`` show the same
value through their own vocabularies (``Completed`` -> ``Finished``...), mapped here.
Cancel is one path: a run is moved to ``CancelRequested``; whoever executes it sees that
and ends it ``Canceled``.
"""
from __future__ import annotations

from azureml_local.exceptions import UserErrorException

RUNNING_STATES: tuple[str, ...] = ("NotStarted", "Queued", "Preparing", "Provisioning", "Starting", "Running",
                                   "Unapproved", "NotResponding", "Pausing", "Paused")
POST_PROCESSING_STATES: tuple[str, ...] = ("CancelRequested", "Finalizing")
TERMINAL_STATES: tuple[str, ...] = ("Completed", "Failed", "Canceled")
ACTIVE_STATES: tuple[str, ...] = RUNNING_STATES + POST_PROCESSING_STATES
ALL_STATES: tuple[str, ...] = ACTIVE_STATES + TERMINAL_STATES
CANCEL_STATES: tuple[str, ...] = ("CancelRequested", "Canceled")

# PipelineRun.get_status(): NotStarted | Running | Failed | Finished | Canceled
_PIPELINE_VOCABULARY = {"NotStarted": "NotStarted", "Completed": "Finished", "Failed": "Failed",
                        "Canceled": "Canceled"}
# StepRun.get_status() also reports Queued while the step waits for its turn
_STEP_VOCABULARY = {**_PIPELINE_VOCABULARY, "Queued": "Queued"}
# what PipelineRun/StepRun.wait_for_completion keep waiting on (their own vocabulary)
PIPELINE_RUNNING_STATES: tuple[str, ...] = ("NotStarted", "Running", "Queued", "Unknown")


def is_terminal(status: str | None) -> bool:
    return status in TERMINAL_STATES


def is_active(status: str | None) -> bool:
    return status in ACTIVE_STATES


def pipeline_status(raw: str) -> str:
    """Run-history status -> the PipelineRun vocabulary (anything in flight is ``Running``)."""
    return _PIPELINE_VOCABULARY.get(raw, "Running")


def step_status(raw: str) -> str:
    """Run-history status -> the StepRun vocabulary (``Queued`` stays ``Queued``)."""
    return _STEP_VOCABULARY.get(raw, "Running")


def check_status(status: str) -> None:
    """Raise the SDK's UserErrorException for a status that is not in the vocabulary."""
    if status not in ALL_STATES:
        raise UserErrorException(f"Unknown run status '{status}'. Use one of: {', '.join(ALL_STATES)}.")
