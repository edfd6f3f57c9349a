"""Datastores, datasets, data paths and the hooks runs use to consume and produce data.

Layout (one job per module):

* ``names`` - Azure naming rules (datastore, container, blob names).
* ``datastore_registry`` - datastore objects from the rows in the workspace database; default datastore.
* ``abstract_datastore``, ``azure_storage_datastore``, ``azure_data_lake_datastore`` - the SDK's
  datastore classes; every kind is a container in a :class:`~azureml_local.store.blobs.base.BlobStore`.
* ``datastore`` - ``azureml.core.Datastore`` (register/get/list).
* ``datapath``, ``data_reference`` - ``DataPath``, ``DataPathComputeBinding``, ``DataReference``.
* ``definition``, ``resolve``, ``cache``, ``tabular_reader`` - what a dataset is (a JSON definition),
  which blobs it covers, local copies keyed by etag, and reading them with pandas.
* ``abstract_dataset``, ``tabular_dataset``, ``file_dataset``, ``dataset_factory``, ``dataset`` - the
  SDK's dataset classes; ``dataset_registry`` - saved/registered datasets in the database.
* ``dataset_consumption_config``, ``output_dataset_config`` - data objects passed to runs.
* ``run_inputs`` - pure functions the run and pipeline engines call to materialise inputs/outputs.
* ``stores`` (datastore name -> ``(BlobStore, container)``), ``datasets`` (dataset references ->
  definitions, saved/registered rows) - with ``run_inputs``, ``resolve``, ``cache``, ``definition``: the
  data engine on plain values that jobs and the pipeline engine call; it imports no SDK class, and the
  SDK classes above call into it (``docs/data.md``, "Where the data logic lives").

Nothing here imports pandas or azure-storage-blob at module level.
"""
