"""``from azureml_user.parallel_run import EntryScript``, as in a ParallelRunStep job in the cloud."""
from azureml_local.pipeline.parallel.entry_script import EntryScript

__all__ = ["EntryScript"]
