"""pipeline/parallel: option parsing, mini batch cutting, failure bounds and run() result rows (pure parts)."""
from __future__ import annotations

import pandas as pd
import pytest

from azureml_local.pipeline.parallel import batching, options
from azureml_local.pipeline.parallel.batching import MiniBatch
from azureml_local.pipeline.parallel.pool import Outcome
from azureml_local.pipeline.parallel.results import Tally
from azureml_local.pipeline.parallel.worker import to_rows


@pytest.mark.parametrize("text,value", [("10", 10), (10, 10), ("1KB", 1024), ("10kb", 10240), ("1MB", 1024 ** 2),
                                        ("2gb", 2 * 1024 ** 3)])
def test_sizes_parse_as_the_sdk_converts_them(text, value):
    assert options.parse_size(text) == value


@pytest.mark.parametrize("text", ["ten", "1TB", "1.5MB", "-1"])
def test_bad_sizes_name_the_rule(text):
    with pytest.raises(ValueError, match=r"must follow regex rule \^\\d\+\(\[kKmMgG\]\[bB\]\)\*\$"):
        options.parse_size(text)


def test_driver_arguments_split_into_options_inputs_and_user_arguments():
    opts = options.parse(["--client_sdk_version", "1.62.0", "--scoring_module_name", "score.py",
                          "--mini_batch_size", "1KB", "--error_threshold", "5", "--output_action", "append_row",
                          "--logging_level", "INFO", "--run_invocation_timeout", "30", "--run_max_try", "2",
                          "--create_snapshot_at_runtime", "True", "--process_count_per_node", "3",
                          "--model_name", "iris", "--input_ds_0", "id-1", "--input_fds_1", "/data",
                          "--input_pipeline_param_0", "id-1"])
    assert (opts.entry_script, opts.mini_batch_size, opts.error_threshold, opts.run_invocation_timeout) == (
        "score.py", 1024, 5, 30)
    assert opts.inputs == [("tabular", "id-1"), ("file", "/data")]
    assert opts.user_args == ["--model_name", "iris"]
    assert opts.append_row_file == "parallel_run_step.txt" and opts.workers == 3


def test_files_by_count_and_rows_by_size():
    assert batching.file_batches([str(i) for i in range(5)], 2) == [["0", "1"], ["2", "3"], ["4"]]
    assert len(batching.file_batches([str(i) for i in range(25)], None)) == 3  # 10 files by default
    frame = pd.DataFrame({"text": ["x" * 99] * 100})  # 100 bytes per row as delimited text
    sizes = [len(b) for b in batching.tabular_batches(frame, 1024)]
    assert sizes == [10] * 10


def test_partitions_group_rows_and_files():
    frame = pd.DataFrame({"store": [2, 1, 2, 1], "brand": ["a", "a", "b", "a"], "v": range(4)})
    groups = batching.group_rows(frame, ["store", "brand"])
    assert [(kv, list(rows["v"])) for kv, rows in groups] == [
        ({"store": 1, "brand": "a"}, [1, 3]), ({"store": 2, "brand": "a"}, [0]), ({"store": 2, "brand": "b"}, [2])]
    assert type(groups[0][0]["store"]) is int  # plain Python values in partition_key_value
    files = batching.group_files(["f0", "f1", "f2"], [{"u": "a", "g": "x"}, {"u": "b", "g": "x"},
                                                      {"u": "a", "g": "x"}], ["u"])
    assert files == [({"u": "a"}, [0, 2]), ({"u": "b"}, [1])]
    with pytest.raises(ValueError, match=r"partition_keys \['season'\] must be a subset of the partition keys"):
        batching.check_partition_keys(["season"], ["user", "genres"], "songs")


def _opts(**kw):
    return options.DriverOptions(entry_script="s.py", mini_batch_size=1, output_action="append_row", **kw)


def test_failure_bounds():
    batch = MiniBatch(0, ["a", "b", "c"])
    tally = Tally(total_batches=4, total_items=12)
    tally.add(Outcome(batch, items=2))                      # one element missing: one failed item
    assert (tally.succeeded_items, tally.failed_items, tally.failed_batches) == (2, 1, 0)
    assert tally.exceeded(_opts(error_threshold=1)) is None
    tally.add(Outcome(batch, error="Traceback..."))        # a failed mini batch: all its items failed
    assert tally.exceeded(_opts(error_threshold=3)) == "The number of failed items (4) exceeded error_threshold (3)."
    assert tally.exceeded(_opts(error_threshold=-1)) is None
    assert tally.exceeded(_opts(error_threshold=-1, allowed_failed_count=0)) == (
        "The number of failed mini batches (1) exceeded allowed_failed_count (0).")
    assert tally.exceeded(_opts(error_threshold=-1, allowed_failed_percent=20)) == (
        "The percentage of failed mini batches (25.0%) exceeded allowed_failed_percent (20%).")
    assert tally.exceeded(_opts(error_threshold=-1, allowed_failed_percent=25)) is None


def test_run_results_become_rows():
    assert to_rows(["a", 1, ("x", 2)], True) == (3, ["a", "1", "('x', 2)"])
    frame = pd.DataFrame({"a": [1, 2], "b": ["x y", "z"]})
    assert to_rows(frame, True) == (2, ['1 "x y"', "2 z"])
    assert to_rows(frame, False) == (2, None)
    for wrong, shown in ((None, "None"), ({"a": 1}, "a value of type dict"), (3, "a value of type int")):
        with pytest.raises(TypeError, match=f"returned {shown}: it must return a list, a tuple or a pandas DataFrame"):
            to_rows(wrong, True)
