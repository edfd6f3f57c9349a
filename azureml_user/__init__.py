"""The package ParallelRunStep's runtime provides to entry scripts (``azureml_user.parallel_run``)."""
