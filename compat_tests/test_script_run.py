"""SDK-shaped script-run code, unmodified: submit a training script, read metrics, files and details back."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

TRAIN = textwrap.dedent('''
    import argparse
    import os
    import struct
    import zlib

    from azureml.core import Run

    parser = argparse.ArgumentParser()
    parser.add_argument("--alpha", type=float, default=0.1)
    args = parser.parse_args()

    run = Run.get_context()
    run.log("alpha", args.alpha)
    for epoch in range(3):
        run.log("loss", 1.0 / (epoch + 1))
    run.log_list("accuracies", [0.5, 0.7, 0.9])
    run.log_row("per_class", cls="a", f1=0.8)


    def tiny_png(path):
        raw = b"\\x00\\xff\\x00\\x00"
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        png = (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
        open(path, "wb").write(png)


    tiny_png("curve.png")
    run.log_image("learning_curve", path="curve.png")
    os.makedirs("outputs", exist_ok=True)
    with open("outputs/model.pkl", "wb") as f:
        f.write(b"model-bytes")
    print("Training finished with alpha", args.alpha)
''')

NOTEBOOK = textwrap.dedent('''
    from azureml.core import Workspace, Experiment, ScriptRunConfig, Environment
    from azureml.core.run import Run

    ws = Workspace.from_config()
    experiment = Experiment(workspace=ws, name="train-model")
    config = ScriptRunConfig(source_directory="./src", script="train.py", arguments=["--alpha", 0.5],
                             compute_target="local")
    run = experiment.submit(config)
    run.wait_for_completion(show_output=True)

    metrics = run.get_metrics()
    for name, value in metrics.items():
        print(name, value)
    print(run.get_file_names())
    run.download_file(name="outputs/model.pkl", output_file_path="model.pkl")
    print(open("model.pkl", "rb").read())
    details = run.get_details()
    print("STATUS", details["status"], run.get_status())
    model = run.register_model(model_name="my-model", model_path="outputs/model.pkl")
    print("MODEL", model.name, model.version)
    print([r.id for r in experiment.get_runs()] == [run.id])
''')


def test_training_script_end_to_end(ws, tmp_path: Path) -> None:
    Path("src").mkdir()
    Path("src/train.py").write_text(TRAIN)
    Path("notebook.py").write_text(NOTEBOOK)
    out = subprocess.run([sys.executable, "notebook.py"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("RunId: train-model_")
    assert "Streaming user_logs/std_log.txt" in text and "Training finished with alpha 0.5" in text
    assert "Execution Summary\n=================\n" in text
    assert "alpha 0.5\n" in text and "loss [1.0, 0.5, 0.3333333333333333]\n" in text
    assert "accuracies [0.5, 0.7, 0.9]\n" in text and "per_class {'cls': 'a', 'f1': 0.8}\n" in text
    assert "learning_curve aml://artifactId/ExperimentRun/dcid.train-model_" in text
    assert "'outputs/model.pkl'" in text and "'curve.png'" in text and "'user_logs/std_log.txt'" in text
    assert "b'model-bytes'" in text
    assert "STATUS Completed Completed" in text
    assert "MODEL my-model 1" in text
    assert text.rstrip().endswith("True")


def test_offline_run_prints(ws) -> None:
    Path("offline.py").write_text(textwrap.dedent('''
        from azureml.core import Run
        run = Run.get_context()
        run.log("accuracy", 0.91)
        run.log_list("losses", [0.3, 0.2])
        run.tag("stage", "dev")
        run.upload_file("outputs/m.pkl", "m.pkl")
        print(type(run).__name__, run.id.startswith("OfflineRun_"))
    '''))
    out = subprocess.run([sys.executable, "offline.py"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ("Attempted to log scalar metric accuracy:\n0.91\n"
                          "Attempted to log list metric losses:\n[0.3, 0.2]\n"
                          "Attempted to add tag stage with value dev\n"
                          "Attempted to track file outputs/m.pkl at m.pkl\n"
                          "_OfflineRun True\n")


def test_failed_script_raises_activity_failed(ws) -> None:
    Path("src").mkdir()
    Path("src/bad.py").write_text("import json\njson.loads('{broken')\n")
    Path("submit.py").write_text(textwrap.dedent('''
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        from azureml.exceptions import ActivityFailedException
        ws = Workspace.from_config()
        run = Experiment(ws, "fails").submit(ScriptRunConfig("src", "bad.py"))
        try:
            run.wait_for_completion()
        except ActivityFailedException as exc:
            print("FAILED", "JSONDecodeError" in str(exc), run.get_status())
    '''))
    out = subprocess.run([sys.executable, "submit.py"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "FAILED True Failed" in out.stdout
