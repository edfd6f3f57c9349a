"""``azureml.train.hyperdrive.policy``: the early termination policies (their JSON and validation).

What a policy decides is computed from that JSON by ``policies.py`` in the sweep controller.
"""
from __future__ import annotations

from typing import Any

from azureml_local.hyperdrive.exceptions import (DICT_VALIDATION_INVALID_ARGUMENT, INVALID_KEY_IN_DICT,
                                                 REHYDRATE_POLICY_NOT_FOUND, HyperDriveConfigException,
                                                 HyperDriveRehydrateException, invalid_setting, invalid_type)


def _check_intervals(evaluation_interval: Any, delay_evaluation: Any) -> None:
    if not isinstance(evaluation_interval, int):
        raise invalid_type("int", "evaluation_interval")
    if not isinstance(delay_evaluation, int):
        raise invalid_type("int", "delay_evaluation")


class EarlyTerminationPolicy:
    """Abstract base class for all early termination policies."""

    def __init__(self, name: str, properties: dict | None = None):
        self._name = name
        self._properties = properties

    def to_json(self) -> dict:
        """Return JSON representing the termination policy."""
        policy: dict = {"name": self._name}
        if self._properties is not None:
            policy["properties"] = self._properties
        return policy

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    @staticmethod
    def _validate_dict_policy(dict_policy: Any, name: str) -> None:
        if not isinstance(dict_policy, dict) or "name" not in dict_policy or \
                dict_policy["name"].lower() != name.lower():
            raise HyperDriveConfigException(DICT_VALIDATION_INVALID_ARGUMENT.format(method="_validate_dict_policy"))

    @staticmethod
    def _properties_of(dict_policy: dict) -> dict:
        if "properties" not in dict_policy:
            raise HyperDriveRehydrateException(INVALID_KEY_IN_DICT.format(key="properties", dict="dict_policy"))
        return dict_policy["properties"]


class _Intervals:
    """The interval properties of the policies that have them (not of NoTerminationPolicy)."""

    _evaluation_interval: int
    _delay_evaluation: int

    @property
    def evaluation_interval(self) -> int:
        """Return the evaluation interval value."""
        return self._evaluation_interval

    @property
    def delay_evaluation(self) -> int:
        """Return the number of intervals the first evaluation is delayed."""
        return self._delay_evaluation


class BanditPolicy(EarlyTerminationPolicy, _Intervals):
    """Cancel runs whose primary metric is not within the slack of the best run so far."""

    POLICY_NAME = "Bandit"

    def __init__(self, evaluation_interval: int = 1, slack_factor: float | None = None,
                 slack_amount: float | None = None, delay_evaluation: int = 0):
        if (slack_factor is None and slack_amount is None) or (slack_factor and slack_amount):
            raise invalid_setting("Bandit termination policy", "exactly one of slack factor or slack amount to be set.")
        _check_intervals(evaluation_interval, delay_evaluation)
        config: dict = {"evaluation_interval": evaluation_interval, "delay_evaluation": delay_evaluation}
        if slack_factor:
            config["slack_factor"] = slack_factor
        else:
            config["slack_amount"] = slack_amount
        super().__init__(BanditPolicy.POLICY_NAME, config)
        self._slack_factor = slack_factor
        self._evaluation_interval = evaluation_interval
        self._delay_evaluation = delay_evaluation

    @property
    def slack_factor(self) -> float | None:
        """Return the slack factor with respect to the best performing training run."""
        return self._slack_factor

    @staticmethod
    def _from_dict(dict_policy: dict) -> "BanditPolicy":
        EarlyTerminationPolicy._validate_dict_policy(dict_policy, BanditPolicy.POLICY_NAME)
        p = EarlyTerminationPolicy._properties_of(dict_policy)
        return BanditPolicy(p.get("evaluation_interval"), p.get("slack_factor"), p.get("slack_amount"),
                            p.get("delay_evaluation"))


class MedianStoppingPolicy(EarlyTerminationPolicy, _Intervals):
    """Cancel runs whose best metric is worse than the median of the running averages of all runs."""

    POLICY_NAME = "MedianStopping"

    def __init__(self, evaluation_interval: int = 1, delay_evaluation: int = 0):
        _check_intervals(evaluation_interval, delay_evaluation)
        super().__init__(MedianStoppingPolicy.POLICY_NAME,
                         {"evaluation_interval": evaluation_interval, "delay_evaluation": delay_evaluation})
        self._evaluation_interval = evaluation_interval
        self._delay_evaluation = delay_evaluation

    @staticmethod
    def _from_dict(dict_policy: dict) -> "MedianStoppingPolicy":
        EarlyTerminationPolicy._validate_dict_policy(dict_policy, MedianStoppingPolicy.POLICY_NAME)
        p = EarlyTerminationPolicy._properties_of(dict_policy)
        return MedianStoppingPolicy(p.get("evaluation_interval"), p.get("delay_evaluation"))


class TruncationSelectionPolicy(EarlyTerminationPolicy, _Intervals):
    """Cancel the given percentage of lowest-ranked runs at each evaluation interval."""

    POLICY_NAME = "TruncationSelection"

    def __init__(self, truncation_percentage: int, evaluation_interval: int = 1, delay_evaluation: int = 0):
        if not isinstance(truncation_percentage, int):
            raise invalid_type("int", "truncation_percentage")
        if truncation_percentage < 1 or truncation_percentage > 99:
            raise invalid_setting("truncation_percentage", "value to be between 1 and 99.")
        _check_intervals(evaluation_interval, delay_evaluation)
        super().__init__(TruncationSelectionPolicy.POLICY_NAME,
                         {"evaluation_interval": evaluation_interval, "delay_evaluation": delay_evaluation,
                          "truncation_percentage": truncation_percentage, "exclude_finished_jobs": False})
        self._truncation_percentage = truncation_percentage
        self._evaluation_interval = evaluation_interval
        self._delay_evaluation = delay_evaluation

    @property
    def truncation_percentage(self) -> int:
        return self._truncation_percentage

    @staticmethod
    def _from_dict(dict_policy: dict) -> "TruncationSelectionPolicy":
        EarlyTerminationPolicy._validate_dict_policy(dict_policy, TruncationSelectionPolicy.POLICY_NAME)
        p = EarlyTerminationPolicy._properties_of(dict_policy)
        return TruncationSelectionPolicy(p.get("truncation_percentage"), p.get("evaluation_interval"),
                                         p.get("delay_evaluation"))


class NoTerminationPolicy(EarlyTerminationPolicy):
    """No early termination: every run executes until completion."""

    POLICY_NAME = "Default"

    def __init__(self) -> None:
        super().__init__(NoTerminationPolicy.POLICY_NAME)

    @staticmethod
    def _from_dict(dict_policy: dict) -> "NoTerminationPolicy":
        EarlyTerminationPolicy._validate_dict_policy(dict_policy, NoTerminationPolicy.POLICY_NAME)
        return NoTerminationPolicy()


_POLICIES = (BanditPolicy, MedianStoppingPolicy, TruncationSelectionPolicy, NoTerminationPolicy)


def _policy_from_dict(dict_policy: Any) -> EarlyTerminationPolicy:
    """A policy object from its JSON (a stored run's ``policy_config``)."""
    if not isinstance(dict_policy, dict):
        raise invalid_type("dict", "dict_policy")
    if "name" not in dict_policy:
        raise HyperDriveRehydrateException(INVALID_KEY_IN_DICT.format(key="name", dict="dict_policy"))
    for cls in _POLICIES:
        if cls.POLICY_NAME.lower() == dict_policy["name"].lower():
            return cls._from_dict(dict_policy)
    raise HyperDriveConfigException(REHYDRATE_POLICY_NOT_FOUND.format(policy=dict_policy["name"]))
