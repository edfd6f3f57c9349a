"""Failure accounting and the ``append_row`` file.

Each element ``run()`` returns counts as one successful item; the items of a mini batch it did not
return for (all of them when it raised or timed out after ``run_max_try`` tries) count as failed.
``error_threshold`` bounds failed items, ``allowed_failed_count`` failed mini batches,
``allowed_failed_percent`` the percentage of failed mini batches (``-1``: no bound). The job stops as
soon as a bound is exceeded.

``append_row`` rows go to ``<output>/.<file name>.partial`` while the step runs, in the order mini
batches finish; the file gets its real name (``parallel_run_step.txt`` or ``append_row_file_name``)
only when the step succeeds, and is removed when it fails: no partial output is published.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from azureml_local.pipeline.parallel.options import DriverOptions
from azureml_local.pipeline.parallel.pool import Outcome


@dataclass
class Tally:
    total_batches: int
    total_items: int
    done_batches: int = 0
    failed_batches: int = 0
    succeeded_items: int = 0
    failed_items: int = 0
    run_seconds: float = 0.0
    round_trip_seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.done_batches += 1
        self.run_seconds += outcome.run_seconds
        self.round_trip_seconds += outcome.round_trip
        if outcome.error is not None:
            self.failed_batches += 1
            self.failed_items += outcome.batch.size
        else:
            done = min(outcome.items, outcome.batch.size)
            self.succeeded_items += done
            self.failed_items += outcome.batch.size - done

    def exceeded(self, opts: DriverOptions, final: bool = False) -> str | None:
        """Why the job must stop now (a bound exceeded), or None."""
        if opts.error_threshold not in (None, -1) and self.failed_items > opts.error_threshold:
            return (f"The number of failed items ({self.failed_items}) exceeded error_threshold "
                    f"({opts.error_threshold}).")
        if opts.allowed_failed_count not in (None, -1) and self.failed_batches > opts.allowed_failed_count:
            return (f"The number of failed mini batches ({self.failed_batches}) exceeded allowed_failed_count "
                    f"({opts.allowed_failed_count}).")
        if opts.allowed_failed_percent is not None and self.total_batches and (final or self.failed_batches):
            percent = 100.0 * self.failed_batches / self.total_batches
            if percent > opts.allowed_failed_percent:
                return (f"The percentage of failed mini batches ({percent:.1f}%) exceeded allowed_failed_percent "
                        f"({opts.allowed_failed_percent:g}%).")
        return None

    def line(self) -> str:
        return (f"{self.done_batches}/{self.total_batches} mini batches processed, {self.failed_batches} failed; "
                f"{self.succeeded_items} items succeeded, {self.failed_items} failed")


class AppendRowWriter:
    """Rows written as they come, published (renamed) only by :meth:`commit`."""

    def __init__(self, folder: str, file_name: str):
        os.makedirs(folder, exist_ok=True)
        self.final = os.path.join(folder, file_name)
        self.partial = os.path.join(folder, f".{file_name}.partial")
        self._file = open(self.partial, "w")
        self.rows = 0

    def write(self, lines: list[str]) -> None:
        for line in lines:
            self._file.write(line + "\n")
        self.rows += len(lines)

    def commit(self) -> None:
        self._file.close()
        os.replace(self.partial, self.final)

    def discard(self) -> None:
        self._file.close()
        if os.path.exists(self.partial):
            os.remove(self.partial)
