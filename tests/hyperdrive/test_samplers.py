"""Sampling maths: grid order, seeded random draws, every distribution's range, Optuna for Bayesian."""
from __future__ import annotations

import math
import random

import pytest

from azureml.train.hyperdrive import (BayesianParameterSampling, GridParameterSampling, RandomParameterSampling,
                                      choice, lognormal, loguniform, normal, qlognormal, qloguniform, qnormal,
                                      quniform, randint, uniform)
from azureml_local.hyperdrive.samplers import draw, grid_points, sampler_for


def test_grid_enumerates_every_combination_first_parameter_slowest():
    space = GridParameterSampling({"--lr": choice(0.1, 0.2, 0.3), "batch": choice([8, 16])}).to_json()
    sampler = sampler_for(space, "maximize")
    points = [sampler.next(i) for i in range(7)]
    assert points[:6] == [{"--lr": lr, "batch": b} for lr in (0.1, 0.2, 0.3) for b in (8, 16)]
    assert points[6] is None  # exhausted: the sweep ends with fewer runs than max_total_runs
    assert grid_points({"a": choice(range(3))}) == [{"a": 0}, {"a": 1}, {"a": 2}]


def test_random_with_rng_seed_is_repeatable_and_without_it_is_not_fixed():
    space = {"lr": uniform(0.001, 0.1), "layers": choice(1, 2, 3), "seed": randint(1000)}
    seeded = RandomParameterSampling(space, properties={"rngSeed": 42}).to_json()
    first = [sampler_for(seeded, "maximize").next(0)]
    a, b = sampler_for(seeded, "maximize"), sampler_for(seeded, "maximize")
    assert [a.next(i) for i in range(10)] == [b.next(i) for i in range(10)]
    assert first[0] == sampler_for(seeded, "maximize").next(0)
    other = RandomParameterSampling(space, properties={"rngSeed": 43}).to_json()
    assert [sampler_for(other, "maximize").next(i) for i in range(5)] != [
        sampler_for(seeded, "maximize").next(i) for i in range(5)]


@pytest.mark.parametrize("expression,check", [
    (choice("a", "b"), lambda v: v in ("a", "b")),
    (randint(5), lambda v: isinstance(v, int) and 0 <= v < 5),
    (uniform(2, 3), lambda v: 2 <= v <= 3),
    (quniform(0, 100, 10), lambda v: isinstance(v, int) and v % 10 == 0 and 0 <= v <= 100),
    (loguniform(-3, 0), lambda v: math.exp(-3) <= v <= 1),
    (qloguniform(0, 4, 2), lambda v: isinstance(v, int) and v % 2 == 0 and 0 <= v <= round(math.exp(4) / 2) * 2),
    (normal(10, 0.001), lambda v: abs(v - 10) < 0.1),
    (qnormal(10, 1, 5), lambda v: isinstance(v, int) and v % 5 == 0),
    (lognormal(0, 1), lambda v: v > 0),
    (qlognormal(0, 1, 1), lambda v: isinstance(v, int) and v >= 0),
])
def test_every_distribution_draws_in_its_range(expression, check):
    rng = random.Random(0)
    values = [draw(expression, rng) for _ in range(200)]
    assert all(check(v) for v in values), values[:10]


def test_bayesian_uses_optuna_and_learns_from_reported_results():
    space = BayesianParameterSampling({"x": uniform(0, 10), "kind": choice("a", "b")},
                                      properties={"rngSeed": 1}).to_json()
    sampler = sampler_for(space, "minimize")
    assert type(sampler.study).__module__.startswith("optuna")
    seen = []
    for i in range(30):
        point = sampler.next(i)
        assert 0 <= point["x"] <= 10 and point["kind"] in ("a", "b")
        sampler.report(i, abs(point["x"] - 3) + (0 if point["kind"] == "a" else 5))
        seen.append(point)
    late = seen[-10:]
    assert sum(abs(p["x"] - 3) for p in late) / 10 < sum(abs(p["x"] - 3) for p in seen[:10]) / 10
    sampler.report(99, None)  # an unknown child is ignored


def test_warm_start_adds_earlier_results_to_bayesian_only():
    space = BayesianParameterSampling({"x": uniform(0, 10)}).to_json()
    sampler = sampler_for(space, "maximize")
    assert sampler.warm({"x": 2.5}, 0.9) and len(sampler.study.trials) == 1
    assert not sampler.warm({"x": 20.0}, 0.1)  # outside this space: skipped
    assert not sampler.warm({"y": 1.0}, 0.1)
    grid = sampler_for(GridParameterSampling({"a": choice(1)}).to_json(), "maximize")
    assert grid.warm({"a": 1}, 0.5) is False
