"""What an early termination policy decides, from its JSON and the children's primary metric series.

Pure functions. A child's *series* is its primary metric values in logging order; each value is one
*interval*. A child is evaluated at interval ``k`` when ``k`` is a multiple of ``evaluation_interval`` and
``k >= delay_evaluation`` (the SDK's rule); the controller evaluates each such interval once, comparing
with the other children's values up to interval ``k`` (finished children included).

* Bandit: cancel when the child's value at ``k`` is outside the slack of the best value any child reached
  by ``k``: with ``slack_factor`` s, maximize cancels when ``value * (1 + s) < best`` and minimize when
  ``value > best * (1 + s)``; with ``slack_amount`` a, ``value < best - a`` / ``value > best + a``.
* MedianStopping: cancel when the child's best value up to ``k`` is worse than the median of the other
  children's running averages over intervals ``1..k``.
* TruncationSelection: among the children that reached interval ``k``, rank by best value up to ``k``;
  cancel when the child is in the worst ``truncation_percentage`` percent (``floor(n * p / 100)`` runs).
"""
from __future__ import annotations

import math
import statistics
from typing import Mapping, Sequence


def due(policy: dict, interval: int) -> bool:
    """Is interval ``interval`` (1-based) one at which the policy applies?"""
    props = policy.get("properties") or {}
    every = int(props.get("evaluation_interval") or 1)
    delay = int(props.get("delay_evaluation") or 0)
    return interval >= 1 and interval % max(every, 1) == 0 and interval >= delay


def better(goal: str, a: float, b: float) -> bool:
    return a > b if goal == "maximize" else a < b


def _best(goal: str, values: Sequence[float]) -> float:
    return max(values) if goal == "maximize" else min(values)


def should_cancel(policy: dict, goal: str, child: str, series: Mapping[str, Sequence[float]], interval: int) -> bool:
    """Should ``child`` be canceled at ``interval``, given every child's ``series``?"""
    name = (policy.get("name") or "Default").lower()
    if name == "default" or not due(policy, interval):
        return False
    own = list(series[child])[:interval]
    if len(own) < interval:
        return False
    props = policy.get("properties") or {}
    if name == "bandit":
        return _bandit(props, goal, own[-1], [v for s in series.values() for v in list(s)[:interval]])
    others = {run: list(s)[:interval] for run, s in series.items() if run != child and s}
    if name == "medianstopping":
        if not others:
            return False
        median = statistics.median(sum(v) / len(v) for v in others.values())
        return better(goal, median, _best(goal, own))
    if name == "truncationselection":
        reached = {run: _best(goal, v) for run, v in others.items() if len(v) >= interval}
        reached[child] = _best(goal, own)
        cut = math.floor(len(reached) * int(props["truncation_percentage"]) / 100)
        worst_first = sorted(reached, key=lambda r: reached[r], reverse=(goal != "maximize"))
        return child in worst_first[:cut]
    raise ValueError(f"Unknown early termination policy '{policy.get('name')}'.")


def _bandit(props: dict, goal: str, value: float, everything: list[float]) -> bool:
    best = _best(goal, everything)
    factor, amount = props.get("slack_factor"), props.get("slack_amount")
    if factor:
        return value * (1 + factor) < best if goal == "maximize" else value > best * (1 + factor)
    return value < best - amount if goal == "maximize" else value > best + amount
