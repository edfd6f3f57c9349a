"""Train the seed's model: the step after ``data_prep.py`` (implied by the seed document).

Reads ``prepped_data.csv`` from the folder the pipeline passes as ``--training-data``
(or ``--in_folder``), fits a small ridge regression of ``col3`` on ``col1`` and ``col2``
with numpy (``--reg`` is the regularisation rate, the seed's ``reg_rate`` parameter),
logs metrics on the run, saves ``outputs/model.json`` and registers it as a model.
"""
import argparse
import json
import os

import numpy as np
import pandas as pd
from azureml.core import Run

run = Run.get_context()

parser = argparse.ArgumentParser()
parser.add_argument("--training-data", "--in_folder", type=str, dest="training_data")
parser.add_argument("--reg", type=float, dest="reg_rate", default=0.01)
args = parser.parse_args()

frame = pd.read_csv(os.path.join(args.training_data, "prepped_data.csv"), index_col=0)
features = frame[["col1", "col2"]].to_numpy(dtype=float)
target = frame["col3"].to_numpy(dtype=float)
design = np.hstack([features, np.ones((len(features), 1))])
penalty = args.reg_rate * np.eye(design.shape[1])
penalty[-1, -1] = 0.0  # do not shrink the intercept
weights = np.linalg.solve(design.T @ design + penalty, design.T @ target)
predictions = design @ weights
rmse = float(np.sqrt(np.mean((predictions - target) ** 2)))
r2 = float(1 - np.sum((predictions - target) ** 2) / np.sum((target - target.mean()) ** 2))

run.log("reg_rate", args.reg_rate)
run.log("training_rows", len(frame))
run.log("rmse", rmse)
run.log("r2", r2)
print(f"Trained on {len(frame)} rows: rmse={rmse:.4f} r2={r2:.4f}")

os.makedirs("outputs", exist_ok=True)
model_path = os.path.join("outputs", "model.json")
with open(model_path, "w") as fh:
    json.dump({"features": ["col1", "col2"], "weights": weights.tolist(), "reg_rate": args.reg_rate}, fh)

if hasattr(run, "experiment"):  # an offline run (python train_model.py) has no workspace to register in
    from azureml.core import Model

    model = Model.register(workspace=run.experiment.workspace, model_path=model_path, model_name="seed_model",
                           tags={"rmse": f"{rmse:.4f}"}, description="Ridge regression of col3 on col1, col2")
    print(f"Registered model {model.name} version {model.version}")
