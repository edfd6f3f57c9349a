"""Studio benchmark (issue 10 "Show"): the experiment page with 5,000 runs, rendered on the server.

A workspace gets ``--runs`` top-level runs in one experiment (tags on each, a mix of statuses), plus
one child per ten runs (children are not listed on the page but are in the table the queries read).
Then, interleaved ``-n`` times so background load hits all alike:

(a) the experiment page through HTTP from a real service (``GET /studio/experiments/<name>``: page
    data in SQL, 50 rows, Jinja2 render, cookie check), default sort       target: median < 300 ms
    and the same for sort=duration, a status filter, a tag filter and the last page;
(b) the same page in process (page data + render, no HTTP), to separate the server's own work;
baselines, same run: ``GET /health`` (HTTP + token check only) and the plain JSON listing of the
experiment (``RunStore.list_runs`` of every run of the experiment as the SDK's ``get_runs`` reads
it, serialised with ``json.dumps``).

A report, not a test: exits non-zero only when something crashes or a page is not 200.

    python benchmarks/bench_studio.py [-n 15] [--runs 5000] [--storage folder|azurite]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 300.0
EXPERIMENT = "bench-studio"
STATUSES = ("Completed", "Completed", "Completed", "Failed", "Canceled")


def _populate(ctx, count: int) -> None:
    for i in range(count):
        run_id = ctx.runs.create_run(EXPERIMENT, f"{EXPERIMENT}_{i:05d}", status="Running", start=True,
                                     tags={"fold": str(i % 5), "lr": f"0.{i % 7}"})
        ctx.runs.set_status(run_id, STATUSES[i % len(STATUSES)])
        if i % 10 == 0:
            ctx.runs.create_run(EXPERIMENT, f"{run_id}_child", parent_run_id=run_id, status="Completed")
        if i and i % 1000 == 0:
            print(f"  {i} runs recorded", flush=True)


def _http(port: int, path: str, headers: dict) -> tuple[float, int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return time.perf_counter() - start, response.status, len(body)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15, help="samples of each case")
    parser.add_argument("--runs", type=int, default=5000, help="top-level runs in the experiment")
    parser.add_argument("--storage", choices=["folder", "azurite"], default="folder",
                        help="blob backend (default folder: the page reads no blobs)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-studio-"))
    os.environ["AZUREML_LOCAL_HOME"] = str(tmp / "home")
    os.environ["AZUREML_LOCAL_STORAGE"] = args.storage

    from azureml.core import Workspace
    from azureml_local.service import control
    from azureml_local.service.auth import studio_cookie
    from azureml_local.service.urls import studio_token
    from azureml_local.studio import experiments, render
    from azureml_local.studio.experiments import RunFilter

    ws = Workspace.create("bench-studio", subscription_id="bench", resource_group="bench", show_output=False)
    ctx = ws._context
    try:
        print(f"recording {args.runs} runs...", flush=True)
        started = time.perf_counter()
        _populate(ctx, args.runs)
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
        info = control.ensure_service(ws, wait=True, timeout=60)
        assert info is not None, "the service did not start"
        cookie = {"Cookie": f"{studio_cookie(ctx)}={studio_token(ws)}"}
        bearer = {"Authorization": f"Bearer {info['token']}"}
        base = f"/studio/experiments/{EXPERIMENT}"
        cases = {"page 1, newest first": base, "sort by duration": base + "?sort=duration",
                 "status=Failed": base + "?status=Failed", "tag fold=3": base + "?tag=fold%3D3",
                 f"last page ({args.runs // 50})": base + f"?page={args.runs // 50}"}
        experiment_id = experiments.experiment_row(ctx, EXPERIMENT)["id"]
        for path in cases.values():  # warm: imports, templates, SQLite pages
            _http(info["port"], path, cookie)
        http_times: dict[str, list[float]] = {k: [] for k in cases}
        local, health, listing = [], [], []
        sizes = {}
        for _ in range(args.n):
            for name, path in cases.items():
                seconds, status, size = _http(info["port"], path, cookie)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
                http_times[name].append(seconds)
                sizes[name] = size
            t0 = time.perf_counter()
            html = render.page("experiment.html", ctx.workspace_name,
                               **experiments.experiment_page(ctx, EXPERIMENT, RunFilter()))
            local.append(time.perf_counter() - t0)
            health.append(_http(info["port"], "/health", bearer)[0])
            t0 = time.perf_counter()
            rows = ctx.runs.list_runs(experiment_id=experiment_id, include_children=False)
            json.dumps(rows)
            listing.append(time.perf_counter() - t0)
        assert len(rows) == args.runs and html.count("<tr>") >= 50
        print(f"\nexperiment page with {args.runs} runs (+{args.runs // 10} children), {args.n} samples each, "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
        print(f"{'case':40} {'median':>9} {'p95':>9}  size")
        for name, values in http_times.items():
            print(f"(a) HTTP {name:35} {statistics.median(values) * 1000:7.1f} ms {_p95(values) * 1000:7.1f} ms"
                  f"  {sizes[name] // 1024} KB")
        print(f"(b) in process, page 1 (data + render)   {statistics.median(local) * 1000:7.1f} ms "
              f"{_p95(local) * 1000:7.1f} ms")
        print(f"    baseline GET /health                 {statistics.median(health) * 1000:7.1f} ms "
              f"{_p95(health) * 1000:7.1f} ms")
        print(f"    baseline JSON listing, all {args.runs} runs {statistics.median(listing) * 1000:7.1f} ms "
              f"{_p95(listing) * 1000:7.1f} ms")
        worst = max(statistics.median(v) for v in http_times.values()) * 1000
        print(f"\ntarget: every page case median < {TARGET_MS:.0f} ms over HTTP: "
              f"{'met' if worst < TARGET_MS else 'MISSED'} (slowest median {worst:.1f} ms)")
        return 0
    finally:
        control.stop_workspace_processes(ws)


if __name__ == "__main__":
    sys.exit(main())
