"""Prepare data: drop incomplete rows of the registered tabular dataset, write a CSV to the output folder."""
import argparse
import os

from azureml.core import Run

run = Run.get_context()
parser = argparse.ArgumentParser()
parser.add_argument("--raw", type=str)
parser.add_argument("--out", type=str)
args = parser.parse_args()

raw = run.input_datasets["raw_data"].to_pandas_dataframe()
clean = raw.dropna()
run.log("rows_in", len(raw))
run.log("rows_out", len(clean))
os.makedirs(args.out, exist_ok=True)
clean.to_csv(os.path.join(args.out, "clean.csv"), index=False)
print(f"prepared {len(clean)} of {len(raw)} rows")
