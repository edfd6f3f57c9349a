"""The Studio in a real Chromium: from the experiment list to a pipeline graph, a failed step's
traceback, a running step's growing log, a download, and the copied curl example run as is."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time

from azureml.core import Experiment, ScriptRunConfig

from azureml_local.service import control, urls
from studio_scenario import pipeline, script_run, write

SLOW = "import time\nfor i in range(60):\n    print('tick', i, flush=True)\n    time.sleep(0.5)\n"


def test_walk_from_experiments_to_a_pipeline_graph_and_a_failed_step(ws, tmp_path, browser_page, screenshot) -> None:
    run = script_run(ws, tmp_path)
    pipe = pipeline(ws, tmp_path)
    first = Experiment(ws, "pipe").submit(pipe, continue_on_step_failure=True)
    first.wait_for_completion(show_output=False, raise_on_error=False)
    second = Experiment(ws, "pipe").submit(pipe, continue_on_step_failure=True)  # prep is reused
    second.wait_for_completion(show_output=False, raise_on_error=False)
    page = browser_page

    control.ensure_listening(ws)
    page.goto(urls.studio_url(ws))
    assert "token=" not in page.url
    page.wait_for_selector("#experiments")
    screenshot(page, "experiments")
    page.click("#experiments >> text=pipe")
    page.wait_for_selector("#runs")
    assert page.inner_text("#run-count").startswith("2 runs")
    screenshot(page, "experiment")
    page.click(f"#runs a[href='/studio/runs/{second.id}']")
    page.wait_for_selector("#graph svg")
    nodes = page.locator("#graph g.node")
    assert nodes.count() == 3
    assert page.locator("#graph g.node.reused[data-step='prep']").count() == 1
    assert page.locator("#graph g.node-bad[data-step='evaluate']").count() == 1
    steps = page.inner_text("#steps")
    assert "♻ reused same step definition" in steps and "allow_reuse=False" in steps  # reuse / re-run reasons
    screenshot(page, "pipeline-graph")

    page.click("#graph g[data-step='evaluate']")
    page.wait_for_selector("#error")
    assert "evaluation exploded: no labels" in page.inner_text("#error")
    page.wait_for_function("document.getElementById('log').textContent.includes('Traceback')")
    assert "ValueError: evaluation exploded" in page.inner_text("#log")
    screenshot(page, "failed-step")

    page.goto(run.get_portal_url())
    page.wait_for_selector("#metrics svg.chart")
    assert page.locator("#metrics figure.chart-box").count() >= 3
    screenshot(page, "run")
    with page.expect_download() as download:
        page.click("#files a.download >> text=outputs/model.txt")
    assert open(download.value.path()).read() == "weights: 42\n"


def test_a_running_steps_log_grows_in_the_page(ws, tmp_path, browser_page, screenshot) -> None:
    folder = write(tmp_path / "slow", "slow.py", SLOW)
    run = Experiment(ws, "live").submit(ScriptRunConfig(str(folder), "slow.py", compute_target="local"))
    try:
        page = browser_page
        control.ensure_listening(ws)  # the link never starts the service; submit's wake may still be starting it
        page.goto(run.get_portal_url())
        page.wait_for_function("document.getElementById('log') && "
                               "document.getElementById('log').textContent.includes('tick 1')", timeout=120_000)
        seen = page.inner_text("#log").count("tick")
        page.wait_for_function(f"document.getElementById('log').textContent.split('tick').length - 1 > {seen + 2}",
                               timeout=60_000)
        assert page.locator(".run-head .badge").inner_text() == "Running"
        screenshot(page, "live-log")
    finally:
        run.cancel()
    run.wait_for_completion(raise_on_error=False)


def _copy(page, target: str) -> str:
    """Click a Copy button and read what it put on the clipboard."""
    button = page.locator(f"button[data-target='{target}']")
    button.click()
    page.wait_for_function(f"document.querySelector(\"button[data-target='{target}']\").textContent === 'Copied'")
    return page.evaluate("navigator.clipboard.readText()")


def _finished(ws, run_id: str) -> str:
    deadline = time.monotonic() + 180
    while ws._context.runs.status(run_id) not in ("Completed", "Failed", "Canceled") and time.monotonic() < deadline:
        time.sleep(0.5)
    return ws._context.runs.status(run_id)


def test_the_copied_examples_start_the_published_pipeline_and_endpoint(ws, tmp_path, browser_page,
                                                                      screenshot) -> None:
    from azureml.pipeline.core import PipelineEndpoint

    published = pipeline(ws, tmp_path, broken=False).publish(name="nightly", description="prep and fit")
    endpoint = PipelineEndpoint.publish(ws, "nightly-endpoint", "the nightly pipeline", published)
    control.ensure_listening(ws)
    page = browser_page
    page.goto(urls.studio_url(ws, "pipelines"))
    page.wait_for_selector(f"#pipeline-{published.id}")
    screenshot(page, "pipelines")
    command = _copy(page, f"curl-{published.id}")
    assert command.startswith("curl -sS -X POST") and published.endpoint in command
    answer = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120, check=True)
    run_id = json.loads(answer.stdout)["Id"]
    assert re.fullmatch(r"[0-9a-f-]{36}", run_id)
    assert _finished(ws, run_id) == "Completed"
    assert ws._context.runs.run(run_id)["experiment_name"] == "from-rest"
    script = _copy(page, f"requests-{endpoint.id}")
    assert endpoint.endpoint in script
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    endpoint_run = answer.stdout.strip()
    assert _finished(ws, endpoint_run) == "Completed"
    assert ws._context.pipeline_runs.get(endpoint_run)["pipeline_id"] == published.id


def test_schedules_datastores_datasets_models_computes_environments(ws, tmp_path, published, browser_page,
                                                                     screenshot) -> None:
    from azureml.core import Dataset, Environment, Model
    from azureml.pipeline.core.schedule import Schedule, ScheduleRecurrence

    csv = write(tmp_path / "data", "iris.csv", "sepal,petal,species\n5.1,1.4,setosa\n6.2,4.5,versicolor\n")
    store = ws.get_default_datastore()
    store.upload_files([str(csv / "iris.csv")], target_path="tables", overwrite=True, show_progress=False)
    Dataset.Tabular.from_delimited_files((store, "tables/iris.csv")).register(ws, "iris", description="flowers")
    model_file = write(tmp_path / "model", "model.pkl", "weights")
    Model.register(ws, str(model_file / "model.pkl"), "classifier", tags={"stage": "dev"})
    Environment("training-env").register(ws)
    schedule = Schedule.create(ws, "nightly", published.id, "scheduled",
                               recurrence=ScheduleRecurrence(frequency="Day", interval=1, hours=[2], minutes=[0],
                                                             start_time="2099-01-01T00:00:00"))
    control.ensure_listening(ws)  # what `azureml-local studio` does before printing the link
    page = browser_page
    page.goto(urls.studio_url(ws, "schedules"))
    assert "nightly" in page.inner_text("#schedules") and "2099-01-01T02:00:00" in page.inner_text("#schedules")
    screenshot(page, "schedules")
    page.click(f"a[href='/studio/schedules/{schedule.id}']")
    page.wait_for_selector("#fires")
    page.click("nav >> text=Datastores")
    page.click("#datastores >> text=workspaceblobstore")
    page.click("#blobs >> text=tables/")
    assert "iris.csv" in page.inner_text("#blobs")
    screenshot(page, "datastore")
    with page.expect_download() as download:
        page.click("#blobs a.download >> text=iris.csv")
    assert open(download.value.path()).read().startswith("sepal,petal,species")
    page.click("nav >> text=Datasets")
    page.click("#datasets >> text=iris")
    page.wait_for_selector("#preview")
    assert "versicolor" in page.inner_text("#preview")
    screenshot(page, "dataset")
    page.click("nav >> text=Models")
    assert "classifier" in page.inner_text("main")
    screenshot(page, "models")
    page.click("nav >> text=Compute")
    assert "local" in page.inner_text("main")
    page.click("nav >> text=Environments")
    assert "training-env" in page.inner_text("main")
    screenshot(page, "environments")
    schedule.disable(wait_for_provisioning=True)
