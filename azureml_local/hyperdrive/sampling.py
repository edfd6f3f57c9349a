"""``azureml.train.hyperdrive.sampling``: the search-space samplings (what is searched, not how).

The classes hold the SDK's JSON (``to_json``: name, parameter_space, properties) and its validation; the
controller draws points from that JSON with ``samplers.py``.
"""
from __future__ import annotations

from typing import Any, Callable

from azureml_local.hyperdrive.exceptions import (DICT_VALIDATION_INVALID_ARGUMENT, DISTRIBUTION_VALIDATION_FAILURE,
                                                 INVALID_KEY_IN_DICT, REHYDRATE_UNKNOWN_SAMPLING,
                                                 HyperDriveConfigException, HyperDriveRehydrateException,
                                                 invalid_setting, invalid_type)


class HyperParameterSampling:
    """Abstract base class for all hyperparameter sampling algorithms."""

    def __init__(self, sampling_method_name: str, parameter_space: dict, properties: dict | None = None,
                 supported_distributions: set | None = None,
                 distributions_validators: dict[str, Callable[[list], tuple]] | None = None):
        self._sampling_method_name = sampling_method_name
        self._parameter_space = parameter_space
        self._properties = properties
        self._supported_distributions = supported_distributions
        self._distributions_validators = distributions_validators
        self._validate_supported_distributions()

    def to_json(self) -> dict:
        """Return JSON representing the hyperparameter sampling object."""
        definition = {"name": self._sampling_method_name, "parameter_space": self._parameter_space}
        if self._properties:
            definition["properties"] = self._properties
        return definition

    def _validate_supported_distributions(self) -> None:
        if not self._supported_distributions:
            return
        for distribution in self._parameter_space.values():
            if isinstance(distribution, list) and distribution[0] not in self._supported_distributions:
                supported = ", ".join(self._supported_distributions)
                raise invalid_setting("This sampling method", f"only the following distributions: [{supported}]")
            validators = self._distributions_validators
            if validators is not None and distribution[0] in validators:
                ok, err = validators[distribution[0]](distribution)
                if not ok:
                    raise HyperDriveConfigException(DISTRIBUTION_VALIDATION_FAILURE.format(err=err))

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    @staticmethod
    def _validate_dict_sampling(dict_sampling: Any, name: str) -> None:
        if not isinstance(dict_sampling, dict) or "name" not in dict_sampling or \
                dict_sampling["name"].lower() != name.lower():
            raise HyperDriveConfigException(DICT_VALIDATION_INVALID_ARGUMENT.format(method="_validate_dict_sampling"))
        if "parameter_space" not in dict_sampling:
            raise HyperDriveRehydrateException(INVALID_KEY_IN_DICT.format(key="parameter_space",
                                                                          dict="dict_sampling"))

    @staticmethod
    def _choice_validator(choice_definition: list) -> tuple[bool, str | None]:
        """Validate the choice distribution arguments (Bayesian sampling)."""
        values = choice_definition[1][0]
        if not values:
            return False, "At least one 'choice' value is required."
        for value in values:
            if type(value) not in (int, str, float):
                return False, "'choice' values should be 'int', 'string' or 'float'."
        types = [type(c) for c in values]
        if types.count(str) % len(types) != 0:
            return False, "Either all or none of the 'choice' values should be 'str' type."
        return True, None


class RandomParameterSampling(HyperParameterSampling):
    """Random sampling over a hyperparameter search space (``properties={'rngSeed': n}`` makes it repeatable)."""

    SAMPLING_NAME = "RANDOM"

    def __init__(self, parameter_space: dict, properties: dict | None = None):
        super().__init__(RandomParameterSampling.SAMPLING_NAME, parameter_space, properties)

    @staticmethod
    def _from_dict(dict_sampling: dict) -> "RandomParameterSampling":
        HyperParameterSampling._validate_dict_sampling(dict_sampling, RandomParameterSampling.SAMPLING_NAME)
        return RandomParameterSampling(parameter_space=dict_sampling["parameter_space"])


class GridParameterSampling(HyperParameterSampling):
    """Grid sampling: every combination of the ``choice`` values."""

    SAMPLING_NAME = "GRID"

    def __init__(self, parameter_space: dict, properties: dict | None = None):
        super().__init__(GridParameterSampling.SAMPLING_NAME, parameter_space, supported_distributions={"choice"},
                         distributions_validators=None, properties=properties)

    @staticmethod
    def _from_dict(dict_sampling: dict) -> "GridParameterSampling":
        HyperParameterSampling._validate_dict_sampling(dict_sampling, GridParameterSampling.SAMPLING_NAME)
        return GridParameterSampling(parameter_space=dict_sampling["parameter_space"])


class BayesianParameterSampling(HyperParameterSampling):
    """Bayesian sampling: each new point is chosen from how earlier points scored (locally: Optuna's TPE)."""

    SAMPLING_NAME = "BayesianOptimization"

    def __init__(self, parameter_space: dict, properties: dict | None = None):
        if parameter_space is None:
            raise invalid_setting("BayesianParameterSampling", "parameter_space to not be None or empty.")
        super().__init__(BayesianParameterSampling.SAMPLING_NAME, parameter_space,
                         supported_distributions={"choice", "quniform", "uniform"},
                         distributions_validators={"choice": self._choice_validator,
                                                   "quniform": self._bayesian_quniform_validator},
                         properties=properties)

    @staticmethod
    def _bayesian_quniform_validator(quniform_definition: list) -> tuple[bool, str | None]:
        values = quniform_definition[1]
        for item in values:
            if type(item) is not int:
                return False, "Expected quniform arguments to be int."
        low, high, q = values[0], values[1], values[2]
        if (high - low) / q > 100000:
            return False, "Too many discrete points for quniform distribution. Use larger q or uniform instead."
        return True, None

    @staticmethod
    def _from_dict(dict_sampling: dict) -> "BayesianParameterSampling":
        HyperParameterSampling._validate_dict_sampling(dict_sampling, BayesianParameterSampling.SAMPLING_NAME)
        return BayesianParameterSampling(parameter_space=dict_sampling["parameter_space"])


_SAMPLINGS = (RandomParameterSampling, GridParameterSampling, BayesianParameterSampling)


def _sampling_from_dict(dict_sampling: Any) -> HyperParameterSampling:
    """A sampling object from its JSON (a stored run's ``generator_config``)."""
    if not isinstance(dict_sampling, dict):
        raise invalid_type("dict", "dict_sampling", HyperDriveRehydrateException)
    if "name" not in dict_sampling:
        raise HyperDriveRehydrateException(INVALID_KEY_IN_DICT.format(key="name", dict="dict_sampling"))
    for cls in _SAMPLINGS:
        if cls.SAMPLING_NAME.lower() == dict_sampling["name"].lower():
            sampling = cls._from_dict(dict_sampling)
            sampling._properties = dict_sampling.get("properties")
            return sampling
    raise HyperDriveConfigException(REHYDRATE_UNKNOWN_SAMPLING)
