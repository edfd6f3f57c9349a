"""ParallelRunStep's local runtime: the driver that runs inside the step's process.

``driver`` (``python -m azureml_local.pipeline.parallel.driver``) reads the SDK's driver arguments
(``options``), splits the inputs into mini batches (``inputs``, ``batching``), runs the entry script in
a pool of warm worker processes (``pool``, ``worker``), accounts for failures and writes ``append_row``
output (``results``) and the per-worker logs (``logs``). ``executor`` is the pipeline executor of the
ParallelRunStep kind (the script executor plus the upload of the ``logs/`` folder). See docs/parallel-run.md.
"""
