"""Drawing points from a sampling's JSON (``{"name", "parameter_space", "properties"}``): pure, no I/O.

* GRID: every combination of the ``choice`` values, in ``itertools.product`` order over the parameters
  as written (the last parameter varies fastest); the sweep ends when the grid is exhausted.
* RANDOM: independent draws per parameter from ``random.Random(properties["rngSeed"])`` (no seed: a
  fresh seed), so a seeded sweep is repeatable.
* BayesianOptimization: Optuna's TPE sampler (ask/tell, seeded the same way); completed children are
  told their primary metric, failed or canceled ones are told they failed.

Quantized draws are ``round(x / q) * q``; they are ints when ``q`` is an int (a batch size stays ``32``,
not ``32.0``, for ``argparse`` ``type=int``).
"""
from __future__ import annotations

import itertools
import math
import random
from typing import Any, Protocol


class Sampler(Protocol):
    def next(self, index: int) -> dict | None:
        """The hyperparameters of child ``index`` (0-based), or None when the space is exhausted."""

    def report(self, index: int, value: float | None) -> None:
        """Child ``index`` ended with best primary metric ``value`` (None: failed or canceled)."""

    def warm(self, params: dict, value: float) -> bool:
        """Learn from an earlier sweep's result (``resume_from``); False when the sampler does not learn."""


def _quantize(value: float, q: Any) -> Any:
    rounded = round(value / q) * q
    return int(rounded) if isinstance(q, int) else float(rounded)


def draw(expression: list, rng: random.Random) -> Any:
    """One random value of a parameter expression (``["uniform", [0, 1]]`` etc.)."""
    name, args = expression[0], expression[1]
    if name == "choice":
        return rng.choice(args[0])
    if name == "randint":
        return rng.randrange(args[0])
    if name == "uniform":
        return rng.uniform(args[0], args[1])
    if name == "quniform":
        return _quantize(rng.uniform(args[0], args[1]), args[2])
    if name == "loguniform":
        return math.exp(rng.uniform(args[0], args[1]))
    if name == "qloguniform":
        return _quantize(math.exp(rng.uniform(args[0], args[1])), args[2])
    if name == "normal":
        return rng.gauss(args[0], args[1])
    if name == "qnormal":
        return _quantize(rng.gauss(args[0], args[1]), args[2])
    if name == "lognormal":
        return math.exp(rng.gauss(args[0], args[1]))
    if name == "qlognormal":
        return _quantize(math.exp(rng.gauss(args[0], args[1])), args[2])
    raise ValueError(f"Unknown parameter expression '{name}'.")


def grid_points(parameter_space: dict) -> list[dict]:
    """Every combination of the ``choice`` values (first parameter slowest)."""
    names = list(parameter_space)
    values = [parameter_space[n][1][0] for n in names]
    return [dict(zip(names, combo)) for combo in itertools.product(*values)]


def _seed(generator_config: dict) -> int | None:
    seed = (generator_config.get("properties") or {}).get("rngSeed")
    return None if seed is None else int(seed)


class GridSampler:
    def __init__(self, generator_config: dict):
        self.points = grid_points(generator_config["parameter_space"])

    def next(self, index: int) -> dict | None:
        return self.points[index] if index < len(self.points) else None

    def report(self, index: int, value: float | None) -> None:
        """Grid order does not depend on results."""

    def warm(self, params: dict, value: float) -> bool:
        return False


class RandomSampler:
    def __init__(self, generator_config: dict):
        self.space = generator_config["parameter_space"]
        self.rng = random.Random(_seed(generator_config))

    def next(self, index: int) -> dict | None:
        return {name: draw(expr, self.rng) for name, expr in self.space.items()}

    def report(self, index: int, value: float | None) -> None:
        """Random draws do not depend on results."""

    def warm(self, params: dict, value: float) -> bool:
        return False


class BayesianSampler:
    """Optuna's TPE over the Bayesian-supported distributions (choice, uniform, quniform)."""

    def __init__(self, generator_config: dict, goal: str):
        try:
            import optuna  # heavy: only a Bayesian sweep pays for it
        except ImportError as exc:
            raise RuntimeError("Bayesian sampling runs locally on Optuna, which is not installed in the workspace "
                               "service's environment: pip install 'azureml-local[hyperdrive]'.") from exc

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self._optuna = optuna
        self.distributions = {name: self._distribution(expr)
                              for name, expr in generator_config["parameter_space"].items()}
        sampler = optuna.samplers.TPESampler(seed=_seed(generator_config))
        self.study = optuna.create_study(direction="maximize" if goal == "maximize" else "minimize",
                                         sampler=sampler)
        self.trials: dict[int, Any] = {}

    def _distribution(self, expr: list) -> Any:
        d = self._optuna.distributions
        name, args = expr[0], expr[1]
        if name == "choice":
            return d.CategoricalDistribution(args[0])
        if name == "uniform":
            return d.FloatDistribution(args[0], args[1])
        if name == "quniform":
            return d.IntDistribution(args[0], args[1], step=args[2])
        raise ValueError(f"Bayesian sampling does not support '{name}'.")

    def next(self, index: int) -> dict | None:
        trial = self.study.ask(self.distributions)
        self.trials[index] = trial
        return dict(trial.params)

    def report(self, index: int, value: float | None) -> None:
        trial = self.trials.pop(index, None)
        if trial is None:
            return
        if value is None or (isinstance(value, float) and math.isnan(value)):
            self.study.tell(trial, state=self._optuna.trial.TrialState.FAIL)
        else:
            self.study.tell(trial, float(value))


    def warm(self, params: dict, value: float) -> bool:
        """Add an earlier sweep's point and result to the study (skipped when outside this space)."""
        if set(params) != set(self.distributions):
            return False
        try:
            trial = self._optuna.trial.create_trial(params=params, distributions=self.distributions, value=float(value))
        except ValueError:
            return False
        self.study.add_trial(trial)
        return True


def sampler_for(generator_config: dict, goal: str) -> Sampler:
    """The sampler of a sampling's JSON (``goal``: ``"maximize"`` or ``"minimize"``)."""
    name = generator_config["name"].lower()
    if name == "grid":
        return GridSampler(generator_config)
    if name == "random":
        return RandomSampler(generator_config)
    if name == "bayesianoptimization":
        return BayesianSampler(generator_config, goal)
    raise ValueError(f"Unknown sampling method '{generator_config['name']}'.")
