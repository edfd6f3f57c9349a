"""A small but complete workspace for the Studio tests: a script run with metrics, image and outputs,
a pipeline with a data edge, a failing step and a reused step, a published pipeline and an endpoint.

Built with the real SDK (real processes, real Azurite); shared by the page-data, route, CLI and
browser tests of this folder.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

TRAIN = """
import os, time
from azureml.core import Run
run = Run.get_context()
for i in range(8):
    run.log("loss", 1.0 / (i + 1))
run.log("accuracy", 0.93)
run.log_list("lr", [0.1, 0.05, 0.01])
for epoch in range(3):
    run.log_row("epochs", epoch=epoch, acc=0.5 + epoch / 10)
run.log_table("summary", {"fold": [1, 2, 3], "auc": [0.8, 0.82, 0.85]})
run.tag("team", "vision")
os.makedirs("outputs", exist_ok=True)
open("outputs/model.txt", "w").write("weights: 42\\n")
print("training done")
"""

PREP = """
import argparse, os
p = argparse.ArgumentParser(); p.add_argument("--out"); a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
open(os.path.join(a.out, "data.csv"), "w").write("x,y\\n1,2\\n")
print("prepared", a.out)
"""

FIT = """
import argparse
p = argparse.ArgumentParser(); p.add_argument("--data"); a = p.parse_args()
print("fitting on", a.data)
"""

BROKEN = """
def evaluate(model):
    raise ValueError("evaluation exploded: no labels")
print("evaluating")
evaluate(None)
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def script_run(ws: Any, tmp_path: Path, experiment: str = "train") -> Any:
    """A completed script run of ``experiment`` with every kind of metric and an output file."""
    from azureml.core import Experiment, ScriptRunConfig

    folder = write(tmp_path / "train_src", "train.py", TRAIN)
    run = Experiment(ws, experiment).submit(ScriptRunConfig(str(folder), "train.py", compute_target="local"))
    run.wait_for_completion()
    return run


def pipeline(ws: Any, tmp_path: Path, broken: bool = True) -> Any:
    """prep -> fit (data edge) and, when ``broken``, an evaluate step that raises; not waited for."""
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import PythonScriptStep

    folder = tmp_path / "pipe_src"
    write(folder, "prep.py", PREP)
    write(folder, "fit.py", FIT)
    write(folder, "evaluate.py", BROKEN)
    data = PipelineData("prepared", datastore=ws.get_default_datastore())
    prep = PythonScriptStep("prep.py", name="prep", source_directory=str(folder), arguments=["--out", data],
                            outputs=[data], compute_target="local")
    fit = PythonScriptStep("fit.py", name="fit", source_directory=str(folder), arguments=["--data", data],
                           inputs=[data], compute_target="local", allow_reuse=False)
    steps = [prep, fit]
    if broken:
        steps.append(PythonScriptStep("evaluate.py", name="evaluate", source_directory=str(folder),
                                      compute_target="local", allow_reuse=False))
    return Pipeline(ws, steps=steps)
