"""REST submit benchmark (issue 8 "Show"): figures and ratios against baselines measured in this run.

(a) REST submit latency: ``requests.post(published.endpoint, headers=auth, json=...)`` until the run
    is Running in the run history (the dispatcher claimed it and its handler started it), median and
    p95 of ``-n`` samples                                          target: median < 150 ms
    baselines, same run: a bare ``GET /health`` round trip (HTTP + token check), and the SDK's
    ``PublishedPipeline.submit`` until Running (no HTTP: records and wakes from the user process)
(b) 200 POSTs from 8 threads (one HTTP session each) to the same endpoint: every POST answered 200,
    200 distinct run ids, 200 pipeline-run rows and 200 run rows of that experiment, all Finished.

The published pipeline has one trivial step (``print``). The service is warmed by one run first (in
real use it stays up while a published pipeline is active). Samples of (a) and its SDK baseline are
interleaved so background load hits both alike. A report, not a test: exits non-zero only when (b)
loses, doubles or fails a run, or something crashes.

    python benchmarks/bench_rest.py [-n 30] [--burst 200] [--threads 8] [--storage folder|azurite]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEP = "print('ok')\n"
STARTED = ("Running", "Finalizing", "Completed", "Failed", "Canceled")
TERMINAL = ("Completed", "Failed", "Canceled")


def _quiet(fn, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _wait_status(ctx, run_id: str, wanted: tuple[str, ...], timeout: float = 120.0) -> str:
    deadline = time.monotonic() + timeout
    status = ctx.runs.status(run_id)
    while status not in wanted:
        if time.monotonic() > deadline:
            raise SystemExit(f"run {run_id} is still {status} after {timeout:.0f} s")
        time.sleep(0.001)
        status = ctx.runs.status(run_id)
    return status


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _rest_to_running(session, url: str, ctx, experiment: str) -> float:
    start = time.perf_counter()
    response = session.post(url, json={"ExperimentName": experiment, "ParameterAssignments": {}}, timeout=60)
    if response.status_code != 200:
        raise SystemExit(f"POST answered {response.status_code}: {response.text}")
    run_id = response.json()["Id"]
    _wait_status(ctx, run_id, STARTED)
    elapsed = time.perf_counter() - start
    _wait_status(ctx, run_id, TERMINAL)  # one at a time: each sample sees an idle service
    return elapsed


def _sdk_to_running(published, ws, ctx, experiment: str) -> float:
    start = time.perf_counter()
    run = _quiet(published.submit, ws, experiment)
    _wait_status(ctx, run.id, STARTED)
    elapsed = time.perf_counter() - start
    _wait_status(ctx, run.id, TERMINAL)
    return elapsed


def _health(session, base: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = session.get(f"{base}/health", timeout=30)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"GET /health answered {response.status_code}: {response.text}")
    return times


def _burst(url: str, auth: dict, total: int, threads: int) -> tuple[list[tuple[int, str | None]], float]:
    """``total`` POSTs from ``threads`` threads, each with its own session: [(status, run id)], seconds."""
    import requests

    def worker(count: int) -> list[tuple[int, str | None]]:
        out = []
        with requests.Session() as session:
            session.headers.update(auth)
            for _ in range(count):
                response = session.post(url, json={"ExperimentName": "bench-burst"}, timeout=120)
                out.append((response.status_code, response.json().get("Id") if response.ok else response.text))
        return out

    shares = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        answers = [a for part in pool.map(worker, shares) for a in part]
    return answers, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="samples of (a) and of each baseline")
    parser.add_argument("--burst", type=int, default=200, help="POSTs in (b)")
    parser.add_argument("--threads", type=int, default=8, help="client threads in (b)")
    parser.add_argument("--storage", choices=["folder", "azurite"], default=None,
                        help="blob backend (default: the workspace default, its own Azurite)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-rest-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    if args.storage:
        os.environ["AZUREML_LOCAL_STORAGE"] = args.storage
    import requests

    from azureml.core import Workspace
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep
    from azureml_local.service import control as service_control
    from azureml_local.service import urls

    ws = Workspace.create("bench-rest", subscription_id="bench", resource_group="bench", show_output=False)
    ctx = ws._context
    results, failed = [], False
    try:
        src = tmp / "src"
        src.mkdir()
        (src / "step.py").write_text(STEP)
        step = PythonScriptStep("step.py", name="step", source_directory=str(src), compute_target="local",
                                allow_reuse=False)
        published = _quiet(Pipeline(ws, steps=[step]).publish, name="bench-rest")
        auth = InteractiveLoginAuthentication().get_authentication_header()
        session = requests.Session()
        session.headers.update(auth)
        service_control.ensure_service(ws, wait=True, timeout=60)
        _rest_to_running(session, published.endpoint, ctx, "bench-warm")  # warm: imports, blob store
        _sdk_to_running(published, ws, ctx, "bench-warm")

        # (a) latency, REST and SDK interleaved; then the bare HTTP round trip
        rest, sdk = [], []
        for _ in range(args.n):
            rest.append(_rest_to_running(session, published.endpoint, ctx, "bench-rest"))
            sdk.append(_sdk_to_running(published, ws, ctx, "bench-sdk"))
        health = _health(session, urls.base_url(ws), args.n)
        med, p95 = statistics.median(rest), _p95(rest)
        med_sdk, med_health = statistics.median(sdk), statistics.median(health)
        results.append(("(a) REST POST -> Running", f"median {med * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms",
                        f"{med / med_sdk:.2f}x SDK submit", "median < 150 ms", med < 0.150))
        results.append(("    baseline SDK submit -> Running", f"median {med_sdk * 1000:.0f} ms, p95 "
                        f"{_p95(sdk) * 1000:.0f} ms", "", "(context)", True))
        results.append(("    baseline GET /health round trip", f"median {med_health * 1000:.1f} ms, p95 "
                        f"{_p95(health) * 1000:.1f} ms", f"REST = {med / med_health:.0f}x", "(context)", True))

        # (b) a burst from several threads
        burst_start = time.perf_counter()
        answers, seconds = _burst(published.endpoint, auth, args.burst, args.threads)
        ids = [run_id for status, run_id in answers if status == 200]
        refused = [(status, text) for status, text in answers if status != 200]
        deadline = time.monotonic() + 1800
        for run_id in ids:
            _wait_status(ctx, run_id, TERMINAL, timeout=max(1.0, deadline - time.monotonic()))
        finished_at = time.perf_counter()
        experiment_runs = [r for r in ctx.runs.list_runs(include_children=False)
                           if r["experiment_name"] == "bench-burst"]
        pipeline_rows = [r for r in ctx.pipeline_runs.of_published_pipeline(published.id)
                         if r["experiment_name"] == "bench-burst"]
        statuses = {r["status"] for r in experiment_runs}
        ok = (len(ids) == args.burst and len(set(ids)) == args.burst and not refused
              and len(experiment_runs) == args.burst and len(pipeline_rows) == args.burst
              and {r["run_id"] for r in experiment_runs} == set(ids) and statuses == {"Completed"})
        failed = not ok
        results.append((f"(b) {args.burst} POSTs, {args.threads} threads",
                        f"{len(ids)} accepted in {seconds:.1f} s ({args.burst / seconds:.0f}/s), "
                        f"{len(set(ids))} distinct ids, all ended after {finished_at - burst_start:.0f} s",
                        f"rows {len(experiment_runs)} run / {len(pipeline_rows)} "
                        f"pipeline, status {sorted(statuses)}", "200/200 Finished", ok))
        if refused:
            results.append(("    refused", str(refused[:3]), "", "", False))
    finally:
        _quiet(service_control.stop_workspace_processes, ws)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"REST submit benchmark ({args.n} samples; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
          f"cores)")
    for name, figures, ratio, target, good in results:
        print(f"  {name:36s} {figures:44s} {ratio:32s} target {target:16s} {'OK' if good else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
