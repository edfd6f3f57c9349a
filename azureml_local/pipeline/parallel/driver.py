"""The ParallelRunStep driver: ``python -m azureml_local.pipeline.parallel.driver <the SDK's driver args>``.

Runs in the step's process (its run context, its bound inputs and outputs): mini batches from the
inputs, a warm worker pool, progress lines in the step log (``std_log.txt``) and in
``logs/job_progress_overview.*.txt``, failure bounds, then the ``append_row`` file. Exit code 0 when
the job succeeded, 1 with the reason as the last line of the step log when it failed.
"""
from __future__ import annotations

import os
import sys
import time
import traceback

from azureml_local.pipeline.parallel import dask_pool, inputs, options
from azureml_local.pipeline.parallel.logs import LogLayout
from azureml_local.pipeline.parallel.pool import InitFailed, Outcome, WorkerPool
from azureml_local.pipeline.parallel.results import AppendRowWriter, Tally

EMULATED = ("azureml-local: ParallelRunStep runs on this machine: {nodes} node(s) x {per_node} process(es) = "
            "{workers} local worker process(es); nodes are emulated (one machine, logs under logs/user/.../node<k>).")
_PROGRESS_EVERY = 5.0  # seconds between progress lines


def say(line: str) -> None:
    print(f"ParallelRunStep: {line}", flush=True)


class Job:
    """One driver run: options, logs, tally and output."""

    def __init__(self, opts: options.DriverOptions, logs: LogLayout):
        self.opts, self.logs = opts, logs
        self.writer: AppendRowWriter | None = None
        self.tally: Tally | None = None
        self.failure: str | None = None
        self._last_progress = 0.0

    def event(self, line: str) -> None:
        say(line)
        self.logs.event(line)

    def on_outcome(self, outcome: Outcome) -> bool:
        assert self.tally is not None
        self.tally.add(outcome)
        if outcome.error is not None:
            last = outcome.error.strip().splitlines()[-1] if outcome.error.strip() else outcome.error
            self.event(f"mini batch {outcome.batch.index} failed after {outcome.tries} tries: {last}")
        elif self.writer is not None and outcome.lines:
            self.writer.write(outcome.lines)
        self.failure = self.tally.exceeded(self.opts)
        now = time.monotonic()
        if now - self._last_progress >= _PROGRESS_EVERY or self.tally.done_batches == self.tally.total_batches:
            self._last_progress = now
            say(f"progress: {self.tally.line()}")
            self.logs.progress(self.tally.line())
        return self.failure is None

    def run(self) -> int:
        opts = self.opts
        per_node = opts.process_count_per_node or os.cpu_count() or 1
        say(EMULATED.format(nodes=opts.node_count, per_node=per_node, workers=opts.workers))
        started = time.monotonic()
        try:
            batches = inputs.build(opts)
        except Exception as exc:  # noqa: BLE001 - a bad input fails the job with its reason, nothing written
            self.tally, self.failure = Tally(0, 0), f"could not make mini batches: {type(exc).__name__}: {exc}"
            traceback.print_exc()
            return self._finish(started, 0.0)
        self.tally = Tally(len(batches), sum(b.size for b in batches))
        self.event(f"{len(batches)} mini batches ({self.tally.total_items} items) from {len(opts.inputs)} input(s)"
                   + (f", partitioned by {opts.partition_keys}" if opts.partition_keys else
                      f", mini_batch_size={opts.mini_batch_size}" if opts.mini_batch_size else ""))
        if opts.output_action == "append_row" and opts.output:
            self.writer = AppendRowWriter(opts.output, opts.append_row_file)
        base = {"entry_script": opts.entry_script, "user_args": opts.user_args, "output_action": opts.output_action,
                "output_dir": opts.output, "logging_level": opts.logging_level}
        pool_class = dask_pool.DaskPool if dask_pool.active() else WorkerPool  # a Dask-backed target: docs/dask.md
        pool = pool_class(base, opts.node_count, per_node, self.logs, opts.run_invocation_timeout,
                          opts.run_max_try, self.event)
        try:
            pool.start()
            pool_started = time.monotonic()
            if batches:
                pool.run(batches, self.on_outcome)
            processing = time.monotonic() - pool_started
        except InitFailed as exc:
            self.failure = str(exc)
            processing = 0.0
        finally:
            pool.close()
        if self.failure is None:
            self.failure = self.tally.exceeded(opts, final=True)
        return self._finish(started, processing)

    def _finish(self, started: float, processing: float) -> int:
        tally = self.tally
        assert tally is not None
        if self.failure is not None:
            if self.writer is not None:
                self.writer.discard()
            line = f"The job failed: {self.failure}"
            self.logs.result(f"{line} ({tally.line()})", failed=True)
            print(f"ParallelRunStep: {tally.line()}", flush=True)
            print(f"ParallelRunStep failed: {self.failure}\nSee logs/user/error/ and logs/user/stderr/ of the step "
                  "run for the entry script's tracebacks.", file=sys.stderr, flush=True)
            return 1
        if self.writer is not None:
            self.writer.commit()
        per_batch = (tally.round_trip_seconds - tally.run_seconds) / max(1, tally.done_batches)
        self.logs.result(f"The job succeeded: {tally.line()}.", failed=False)
        say(f"done: {tally.line()} in {time.monotonic() - started:.2f}s "
            f"(processing {processing:.2f}s, {tally.total_items / processing if processing else 0:.1f} items/s, "
            f"overhead per mini batch {per_batch * 1000:.2f} ms)"
            + (f"; {self.writer.rows} rows in {os.path.basename(self.writer.final)}" if self.writer else ""))
        return 0


def main(argv: list[str] | None = None) -> int:
    opts = options.parse(sys.argv[1:] if argv is None else argv)
    return Job(opts, LogLayout("logs")).run()


if __name__ == "__main__":
    sys.exit(main())
