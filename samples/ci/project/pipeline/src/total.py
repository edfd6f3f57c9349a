"""Step 2: add up what step 1 wrote and log the total as a run metric."""
import argparse
import os

from azureml.core import Run

parser = argparse.ArgumentParser()
parser.add_argument("--squares", required=True)
args = parser.parse_args()
with open(os.path.join(args.squares, "squares.txt")) as fh:
    total = sum(int(line) for line in fh if line.strip())
Run.get_context().log("total", total)
print(f"total = {total}")
