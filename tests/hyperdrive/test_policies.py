"""Early termination decisions from each policy's JSON and the children's metric series."""
from __future__ import annotations

from azureml.train.hyperdrive import (BanditPolicy, MedianStoppingPolicy, NoTerminationPolicy,
                                      TruncationSelectionPolicy)
from azureml_local.hyperdrive.policies import due, should_cancel


def test_intervals_follow_evaluation_interval_and_delay():
    policy = BanditPolicy(evaluation_interval=2, slack_factor=0.1, delay_evaluation=5).to_json()
    assert [k for k in range(1, 11) if due(policy, k)] == [6, 8, 10]
    assert [k for k in range(1, 4) if due(BanditPolicy(slack_amount=1).to_json(), k)] == [1, 2, 3]


def test_bandit_slack_factor_maximize_and_minimize():
    policy = BanditPolicy(slack_factor=0.2).to_json()
    series = {"best": [0.8], "close": [0.7], "far": [0.6]}
    # 0.8 / (1 + 0.2) = 0.667: 0.7 stays, 0.6 goes
    assert not should_cancel(policy, "maximize", "close", series, 1)
    assert should_cancel(policy, "maximize", "far", series, 1)
    assert not should_cancel(policy, "maximize", "best", series, 1)
    losses = {"best": [1.0], "close": [1.15], "far": [1.3]}
    assert not should_cancel(policy, "minimize", "close", losses, 1)
    assert should_cancel(policy, "minimize", "far", losses, 1)


def test_bandit_slack_amount_compares_to_the_best_value_reached_by_that_interval():
    policy = BanditPolicy(slack_amount=0.2).to_json()
    series = {"a": [0.5, 0.9], "b": [0.45, 0.65]}
    assert not should_cancel(policy, "maximize", "b", series, 1)  # best by interval 1 is 0.5
    assert should_cancel(policy, "maximize", "b", series, 2)  # 0.65 < 0.9 - 0.2
    assert not should_cancel(policy, "minimize", "a", {"a": [0.3], "b": [0.2]}, 1)  # 0.3 <= 0.2 + 0.2


def test_median_stopping_against_the_running_averages_of_the_others():
    policy = MedianStoppingPolicy(evaluation_interval=1, delay_evaluation=2).to_json()
    series = {"a": [0.5, 0.7], "b": [0.6, 0.8], "c": [0.2, 0.3], "d": [0.1, 0.9]}
    # running averages of the others at interval 2 for c: a 0.6, b 0.7, d 0.5 -> median 0.6 > best(c) 0.3
    assert should_cancel(policy, "maximize", "c", series, 2)
    assert not should_cancel(policy, "maximize", "d", series, 2)  # its best, 0.9, beats the median
    assert not should_cancel(policy, "maximize", "c", series, 1)  # before delay_evaluation
    assert not should_cancel(policy, "maximize", "a", {"a": [0.1, 0.1]}, 2)  # nobody to compare with


def test_truncation_selection_cancels_the_lowest_percentage_that_reached_the_interval():
    policy = TruncationSelectionPolicy(truncation_percentage=50).to_json()
    series = {"a": [0.9], "b": [0.8], "c": [0.3], "d": [0.2], "young": []}
    assert [r for r in "abcd" if should_cancel(policy, "maximize", r, series, 1)] == ["c", "d"]
    assert [r for r in "abcd" if should_cancel(policy, "minimize", r, series, 1)] == ["a", "b"]
    small = TruncationSelectionPolicy(truncation_percentage=20).to_json()
    assert not any(should_cancel(small, "maximize", r, series, 1) for r in "abcd")  # floor(4 * 0.2) = 0


def test_no_termination_never_cancels():
    policy = NoTerminationPolicy().to_json()
    assert not should_cancel(policy, "maximize", "a", {"a": [0.0], "b": [1.0]}, 1)
