"""``azureml.train.hyperdrive.parameter_expressions``: the search-space functions.

Each returns the SDK's JSON form ``[name, [arguments]]`` (what a sampling's ``to_json`` carries and what
``samplers.py`` draws from); validation and messages are the SDK's.
"""
from __future__ import annotations

from typing import Any

from azureml_local.hyperdrive.exceptions import HyperDriveConfigException, MISSING_CHOICE_VALUES, invalid_setting

_CHOICE_CONDITION = ("non-empty single list, non-empty single range() or a positive number of arbitrary comma "
                     "separated inputs.")


def choice(*options: Any) -> list:
    """Specify a discrete set of options to sample from."""
    if len(options) == 0:
        raise HyperDriveConfigException(MISSING_CHOICE_VALUES)
    for item in options:
        if isinstance(item, (range, list)):
            if len(options) > 1 or not item:
                raise invalid_setting("choice", _CHOICE_CONDITION)
            return ["choice", [list(item)]]
    return ["choice", [list(options)]]


def randint(upper: int) -> list:
    """Specify a set of random integers in the range [0, upper)."""
    if not isinstance(upper, int) or upper <= 0:
        raise invalid_setting("randint", "a positive number as input")
    return ["randint", [upper]]


def _number(obj: str, name: str, value: Any) -> None:
    if not isinstance(value, (float, int)):
        raise invalid_setting(obj, f"{name} to be a float")


def _q(obj: str, q: Any) -> None:
    if not isinstance(q, int) and not (isinstance(q, float) and q.is_integer()):
        raise invalid_setting(obj, "q to be an int")


def _range(obj: str, min_value: Any, max_value: Any) -> None:
    _number(obj, "min_value", min_value)
    _number(obj, "max_value", max_value)


def _bounds(obj: str, min_value: float, max_value: float, strict: bool) -> None:
    if strict and min_value >= max_value:
        raise invalid_setting(obj, "min_value < max_value")
    if not strict and min_value > max_value:
        raise invalid_setting(obj, "min_value <= max_value")


def uniform(min_value: float, max_value: float) -> list:
    """Specify a uniform distribution from which samples are taken."""
    _range("uniform", min_value, max_value)
    _bounds("uniform", min_value, max_value, True)
    return ["uniform", [min_value, max_value]]


def quniform(min_value: float, max_value: float, q: int) -> list:
    """Specify a uniform distribution of the form round(uniform(min_value, max_value) / q) * q."""
    _range("quniform", min_value, max_value)
    _q("quniform", q)
    _bounds("quniform", min_value, max_value, True)
    return ["quniform", [min_value, max_value, q]]


def loguniform(min_value: float, max_value: float) -> list:
    """Specify a log uniform distribution: exp(uniform(min_value, max_value))."""
    _range("loguniform", min_value, max_value)
    _bounds("loguniform", min_value, max_value, False)
    return ["loguniform", [min_value, max_value]]


def qloguniform(min_value: float, max_value: float, q: int) -> list:
    """Specify a distribution of the form round(exp(uniform(min_value, max_value)) / q) * q."""
    _range("qloguniform", min_value, max_value)
    _q("qloguniform", q)
    _bounds("qloguniform", min_value, max_value, False)
    return ["qloguniform", [min_value, max_value, q]]


def _normal_args(obj: str, mu: Any, sigma: Any, q: Any = None) -> None:
    if not isinstance(mu, (float, int)):
        raise invalid_setting(obj, "mu to be a float")
    if not isinstance(sigma, (float, int)):
        raise invalid_setting(obj, "sigma to be a float")
    if q is not None:
        _q(obj, q)
    if sigma < 0:
        raise invalid_setting(obj, "sigma to be non negative")


def normal(mu: float, sigma: float) -> list:
    """Specify a real value that is normally-distributed with mean mu and standard deviation sigma."""
    _normal_args("normal", mu, sigma)
    return ["normal", [mu, sigma]]


def qnormal(mu: float, sigma: float, q: int) -> list:
    """Specify a value like round(normal(mu, sigma) / q) * q."""
    _normal_args("qnormal", mu, sigma, q)
    return ["qnormal", [mu, sigma, q]]


def lognormal(mu: float, sigma: float) -> list:
    """Specify a value drawn according to exp(normal(mu, sigma))."""
    _normal_args("lognormal", mu, sigma)
    return ["lognormal", [mu, sigma]]


def qlognormal(mu: float, sigma: float, q: int) -> list:
    """Specify a value like round(exp(normal(mu, sigma)) / q) * q."""
    _normal_args("qlognormal", mu, sigma, q)
    return ["qlognormal", [mu, sigma, q]]
