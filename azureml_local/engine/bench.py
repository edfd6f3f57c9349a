"""Per-run overhead benchmark: ``python -m azureml_local.engine.bench [runs]``.

Compares ``python script.py`` (a 0.1 s script) with ``Experiment.submit`` +
``wait_for_completion`` through the warm workspace runner, in a throw-away
``AZUREML_LOCAL_HOME``. Target: median ratio <= 1.3.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(runs: int = 10) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["AZUREML_LOCAL_HOME"] = str(Path(tmp) / "home")
        src = Path(tmp) / "src"
        src.mkdir()
        (src / "script.py").write_text("import time\ntime.sleep(0.1)\n")
        from azureml_local.service import control as service_control
        from azureml_local.experiment import Experiment
        from azureml_local.script_run_config import ScriptRunConfig
        from azureml_local.workspace import Workspace

        ws = Workspace.create("benchws", subscription_id="bench", resource_group="bench", exist_ok=True,
                              show_output=False)
        exp = Experiment(ws, "bench")
        try:
            exp.submit(ScriptRunConfig(str(src), "script.py")).wait_for_completion()  # warm the runner

            def direct() -> float:
                t = time.perf_counter()
                subprocess.run([sys.executable, str(src / "script.py")], check=True)
                return time.perf_counter() - t

            def submitted() -> float:
                t = time.perf_counter()
                exp.submit(ScriptRunConfig(str(src), "script.py")).wait_for_completion()
                return time.perf_counter() - t

            d = statistics.median(direct() for _ in range(runs))
            s = statistics.median(submitted() for _ in range(runs))
        finally:
            service_control.stop_service(ws)
    print(f"python script.py: {d:.3f} s  submit+wait: {s:.3f} s  ratio: {s / d:.2f}")
    return s / d


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
