"""The DataTransferStep executor: blob copies between datastores, reference types, get_output, reuse, bad input."""
from __future__ import annotations

import pytest

from transfer_helpers import blob_datastore, data_factory, names, put, read, run_in_process


@pytest.fixture
def two_stores(ws):
    data_factory(ws)
    return blob_datastore(ws, "landing"), blob_datastore(ws, "curated")


def _step(src, dst, **kwargs):
    from azureml.data.data_reference import DataReference
    from azureml.pipeline.steps import DataTransferStep

    return DataTransferStep(name="copy", source_data_reference=DataReference(src[0], "src", src[1]),
                            destination_data_reference=DataReference(dst[0], "dst", dst[1]),
                            compute_target="adf", **kwargs)


def _pipeline(ws, *steps):
    from azureml.pipeline.core import Pipeline

    return Pipeline(ws, steps=list(steps))


def _child(run, name="copy"):
    return next(c for c in run.get_children() if c.name == name)


def test_directory_copy_between_two_blob_datastores(ws, two_stores, monkeypatch):
    landing, curated = two_stores
    put(landing, "raw/a.csv", b"a,b\n1,2\n")
    put(landing, "raw/sub/b.csv", b"a,b\n3,4\n")
    put(landing, "rawer/not-me.csv", b"x")
    run = run_in_process(ws, _pipeline(ws, _step((landing, "raw"), (curated, "clean"))), monkeypatch)
    assert run.get_status() == "Finished"
    assert names(curated, "clean") == ["clean/a.csv", "clean/sub/b.csv"]
    assert read(curated, "clean/sub/b.csv") == b"a,b\n3,4\n"
    child = _child(run)
    assert child.get_properties()["StepType"] == "DataTransferStep"
    log = _log(child)
    assert "emulated locally" in log and "Copied 2 blob(s)" in log


def _log(run) -> str:
    from azureml_local.engine.execute import STD_LOG, log_paths

    return log_paths(run.experiment.workspace, run.id)[STD_LOG].read_text()


@pytest.mark.parametrize("dst_type, expected", [("file", "out/renamed.csv"), ("directory", "out/renamed.csv/a.csv")])
def test_file_source_to_file_or_directory(ws, two_stores, monkeypatch, dst_type, expected):
    landing, curated = two_stores
    put(landing, "raw/a.csv", b"1")
    step = _step((landing, "raw/a.csv"), (curated, "out/renamed.csv"), source_reference_type="FILE",
                 destination_reference_type=dst_type)
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Finished"
    assert names(curated) == [expected]


def test_get_output_feeds_the_next_step_and_reuse(ws, two_stores, monkeypatch, tmp_path):
    from azureml.pipeline.steps import PythonScriptStep

    landing, curated = two_stores
    put(landing, "raw/a.csv", b"hello")
    src = tmp_path / "src"
    src.mkdir()
    (src / "count.py").write_text(
        "import os, sys\nprint('FILES', sorted(os.listdir(sys.argv[1])))\n")

    def build():
        copy = _step((landing, "raw"), (curated, "clean"))
        moved = copy.get_output()
        count = PythonScriptStep(name="count", script_name="count.py", arguments=[moved], inputs=[moved],
                                 source_directory=str(src))
        return _pipeline(ws, count)

    first = run_in_process(ws, build(), monkeypatch)
    assert first.get_status() == "Finished"
    count_log = _log(_child(first, "count"))
    assert "FILES ['a.csv']" in count_log
    second = run_in_process(ws, build(), monkeypatch)
    assert second.get_status() == "Finished"
    copy_run = _child(second)
    assert copy_run._is_reused and copy_run.id == _child(first).id  # the SDK's reused StepRun is the original
    put(landing, "raw/b.csv", b"more")  # new source content: the copy runs again
    third = run_in_process(ws, build(), monkeypatch)
    assert not _child(third)._is_reused
    assert "FILES ['a.csv', 'b.csv']" in _log(_child(third, "count"))


def test_missing_source_fails_the_step_and_writes_nothing(ws, two_stores, monkeypatch):
    landing, curated = two_stores
    run = run_in_process(ws, _pipeline(ws, _step((landing, "nothing/here.csv"), (curated, "out.csv"))),
                         monkeypatch)
    assert run.get_status() == "Failed"
    child = _child(run)
    message = child.get_details()["error"]["error"]["message"]
    assert "does not exist" in message and "nothing/here.csv" in message and "nothing was copied" in message
    assert "nothing was copied" in _log(child)
    assert names(curated) == []


def test_directory_to_file_is_refused(ws, two_stores, monkeypatch):
    landing, curated = two_stores
    put(landing, "raw/a.csv", b"1")
    run = run_in_process(ws, _pipeline(ws, _step((landing, "raw"), (curated, "x.csv"),
                                                 destination_reference_type="file")), monkeypatch)
    assert run.get_status() == "Failed"
    assert "cannot be copied to a file" in _child(run).get_details()["error"]["error"]["message"]
    assert names(curated) == []


def test_file_share_and_data_lake_datastores(ws, monkeypatch):
    from azureml.core import Datastore

    data_factory(ws)
    share = Datastore.register_azure_file_share(ws, "share", "myshare", "devstoreaccount1",
                                                create_if_not_exists=True)
    lake = Datastore.register_azure_data_lake_gen2(ws, "lake", "lakefs", "devstoreaccount1", tenant_id="t",
                                                   client_id="c", client_secret="s")
    put(share, "in/x.txt", b"share data")
    run = run_in_process(ws, _pipeline(ws, _step((share, "in"), (lake, "landed"))), monkeypatch)
    assert run.get_status() == "Finished"
    assert read(lake, "landed/x.txt") == b"share data"


def test_across_two_accounts_streams_in_blocks(ws, monkeypatch):
    """The destination is registered with its own endpoint (an external connection string): another
    account as far as the copy knows, so the source is streamed into staged blocks, not copied server-side."""
    import re

    from azureml.core import Datastore

    from azureml_local.store.azurite_process import DEV_KEY

    data_factory(ws)
    landing = blob_datastore(ws, "landing")
    port = re.search(r":(\d+)/", ws._blobs.account_url + "/").group(1)
    far = Datastore.register_azure_blob_container(ws, "far", "far-account", "devstoreaccount1", account_key=DEV_KEY,
                                                  endpoint=f"http://localhost:{port}/devstoreaccount1",
                                                  create_if_not_exists=True)
    data = bytes(range(256)) * 4096  # 1 MiB
    put(landing, "raw/big.bin", data)
    run = run_in_process(ws, _pipeline(ws, _step((landing, "raw"), (far, "copied"))), monkeypatch)
    assert run.get_status() == "Finished"
    assert read(far, "copied/big.bin") == data


def test_file_dataset_source(ws, two_stores, monkeypatch):
    from azureml.core import Dataset
    from azureml.data.data_reference import DataReference
    from azureml.pipeline.steps import DataTransferStep

    landing, curated = two_stores
    put(landing, "raw/a.csv", b"1")
    put(landing, "raw/sub/b.csv", b"2")
    dataset = Dataset.File.from_files(path=(landing, "raw/**"))
    with pytest.raises(ValueError, match="Please call the as_named_input method"):  # the SDK's rule for inputs
        DataTransferStep(name="copy", source_data_reference=dataset,
                         destination_data_reference=DataReference(curated, "dst", "x"), compute_target="adf")
    step = DataTransferStep(name="copy", source_data_reference=dataset.as_named_input("raw_files"),
                            destination_data_reference=DataReference(curated, "dst", "from_ds"), compute_target="adf")
    run = run_in_process(ws, _pipeline(ws, step), monkeypatch)
    assert run.get_status() == "Finished", _log(_child(run))
    assert names(curated) == ["from_ds/a.csv", "from_ds/sub/b.csv"]


def test_producer_output_source(ws, two_stores, monkeypatch, tmp_path):
    from azureml.data.data_reference import DataReference
    from azureml.pipeline.core import PipelineData
    from azureml.pipeline.steps import DataTransferStep, PythonScriptStep

    landing, curated = two_stores
    (tmp_path / "make.py").write_text("import os, sys\nos.makedirs(sys.argv[1], exist_ok=True)\n"
                                      "open(os.path.join(sys.argv[1], 'result.txt'), 'w').write('42')\n")
    produced = PipelineData("produced", datastore=landing)
    make = PythonScriptStep(name="make", script_name="make.py", arguments=[produced], outputs=[produced],
                            source_directory=str(tmp_path))
    export = DataTransferStep(name="copy", source_data_reference=produced,
                              destination_data_reference=DataReference(curated, "dst", "exported"),
                              compute_target="adf")
    run = run_in_process(ws, _pipeline(ws, export), monkeypatch)
    assert run.get_status() == "Finished", _log(_child(run))
    assert read(curated, "exported/result.txt") == b"42"
    assert [c.name for c in run.get_children()].count("make") == 1


def test_a_failed_transfer_lets_independent_steps_run_with_continue_on_step_failure(ws, two_stores, monkeypatch,
                                                                                     tmp_path):
    from azureml.pipeline.steps import PythonScriptStep

    landing, curated = two_stores
    (tmp_path / "ok.py").write_text("print('independent step ran')\n")
    other = PythonScriptStep(name="other", script_name="ok.py", source_directory=str(tmp_path))
    run = run_in_process(ws, _pipeline(ws, _step((landing, "missing"), (curated, "out")), other), monkeypatch,
                         continue_on_step_failure=True)
    assert run.get_status() == "Failed"
    assert _child(run).get_status() == "Failed" and _child(run, "other").get_status() == "Finished"
    assert names(curated) == []
