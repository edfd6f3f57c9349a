"""Train: ridge regression of col3 on col1, col2 (numpy), log metrics, register the model."""
import argparse
import json
import os

import numpy as np
import pandas as pd
from azureml.core import Model, Run

run = Run.get_context()
parser = argparse.ArgumentParser()
parser.add_argument("--data", type=str)
parser.add_argument("--reg", type=float)
args = parser.parse_args()

frame = pd.read_csv(os.path.join(args.data, "clean.csv"))
x = np.hstack([frame[["col1", "col2"]].to_numpy(float), np.ones((len(frame), 1))])
y = frame["col3"].to_numpy(float)
weights = np.linalg.solve(x.T @ x + args.reg * np.eye(3), x.T @ y)
rmse = float(np.sqrt(np.mean((x @ weights - y) ** 2)))
run.log("reg_rate", args.reg)
run.log("rmse", rmse)
os.makedirs("outputs", exist_ok=True)
with open("outputs/model.json", "w") as fh:
    json.dump({"weights": weights.tolist()}, fh)
model = Model.register(workspace=run.experiment.workspace, model_path="outputs/model.json",
                       model_name="prep_train_model", tags={"rmse": f"{rmse:.4f}"})
print(f"registered {model.name}:{model.version} rmse={rmse:.4f}")
