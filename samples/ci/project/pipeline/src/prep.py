"""Step 1: write the squares of 1..n to the step's output folder."""
import argparse
import os

parser = argparse.ArgumentParser()
parser.add_argument("--n", type=int, default=5)
parser.add_argument("--out", required=True)
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
with open(os.path.join(args.out, "squares.txt"), "w") as fh:
    fh.write("\n".join(str(i * i) for i in range(1, args.n + 1)))
print(f"wrote {args.n} squares")
