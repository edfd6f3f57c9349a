"""``azureml.pipeline.core.graph`` objects users build pipelines with.

``PipelineParameter`` (a value chosen at submit time), ``InputPortBinding`` /
``OutputPortBinding`` (named, moded ends of a data edge) and the ``(DataPath,
DataPathComputeBinding)`` pair (``_PipelineIO``). Graph building lives in
``graph_build.py``; these classes only hold what the user said.
"""
from __future__ import annotations

from typing import Any

from azureml_local.pipeline.builder_io import is_a


class PipelineParameter:
    """A pipeline parameter: a named value with a default, settable per submission."""

    def __init__(self, name: str, default_value: Any):
        self.name = name
        self.default_value = default_value
        if not isinstance(default_value, (int, str, bool, float)) and not is_a(
                default_value, "DataPath", "AbstractDataset", "PipelineDataset"):
            raise ValueError("Default value is of unsupported type: {0}".format(type(default_value).__name__))

    def __str__(self) -> str:
        return "PipelineParameter_Name:{0}_Default:{1}".format(self.name, self.default_value)

    def __repr__(self) -> str:
        return self.__str__()

    def _serialize_to_dict(self) -> dict:
        if is_a(self.default_value, "DataPath"):
            return {"type": "datapath", "default": self.default_value._serialize_to_dict()}
        param_type = "string"
        if isinstance(self.default_value, int):
            param_type = "int"
        if isinstance(self.default_value, float):
            param_type = "float"
        if isinstance(self.default_value, bool):
            param_type = "bool"
        return {"type": param_type, "default": self.default_value}


class InputPortBinding:
    """Binds a step input (``name``, mode, local path) to where its data comes from."""

    def __init__(self, name: str, bind_object: Any = None, bind_mode: str = "mount",
                 path_on_compute: str | None = None, overwrite: bool | None = None,
                 is_resource: bool = False, additional_transformations: Any = None, **kwargs: Any):
        if bind_object is None:
            raise ValueError("bind_object is required")
        if bind_mode not in {"mount", "download", "direct", "hdfs"}:
            raise ValueError("Invalid data_ref mode [%s]" % bind_mode)
        self._name = name
        self._bind_mode = bind_mode
        self._bind_object = bind_object
        self._path_on_compute = path_on_compute
        self._overwrite = overwrite
        self._is_resource = is_resource
        self._additional_transformations = additional_transformations
        self._is_input_promoted_to_dataset = kwargs.get("is_input_promoted_to_dataset", False)

    name = property(lambda self: self._name)

    @name.setter  # type: ignore[no-redef]
    def name(self, value: str) -> None:
        self._name = value

    bind_mode = property(lambda self: self._bind_mode)
    bind_object = property(lambda self: self._bind_object)
    path_on_compute = property(lambda self: self._path_on_compute)
    overwrite = property(lambda self: self._overwrite)

    @property
    def data_reference_name(self) -> str:
        return self.get_bind_object_name()

    @property
    def data_type(self) -> Any:
        return getattr(self._bind_object, "data_type", None)

    def get_bind_object_name(self) -> str:
        obj = self._bind_object
        return getattr(obj, "data_reference_name", None) or getattr(obj, "name", None) or self._name

    def as_resource(self) -> "InputPortBinding":
        self._is_resource = True
        return self

    def __str__(self) -> str:
        return "$AZUREML_DATAREFERENCE_{0}".format(self._name)

    __repr__ = __str__


class OutputPortBinding:
    """A named step output written to ``datastore`` (see ``PipelineData`` for the common form)."""

    def __init__(self, name: str, datastore: Any = None, output_name: str | None = None, bind_mode: str = "mount",
                 path_on_compute: str | None = None, is_directory: bool | None = None, overwrite: bool | None = None,
                 data_type: str | None = None, pipeline_output_name: str | None = None,
                 training_output: Any = None, dataset_registration: Any = None, dataset_output: Any = None):
        if bind_mode not in ("mount", "upload"):
            raise ValueError("Invalid bind mode [%s]" % bind_mode)
        self._name = name
        self._datastore = datastore
        self._output_name = output_name or name
        self._bind_mode = bind_mode
        self._path_on_compute = path_on_compute
        self._is_directory = is_directory
        self._overwrite = overwrite
        self._data_type = data_type
        self._pipeline_output_name = pipeline_output_name
        self._training_output = training_output
        self._dataset_registration = dataset_registration
        self._dataset_output = dataset_output
        self._producer: Any = None

    name = property(lambda self: self._name)
    datastore = property(lambda self: self._datastore)
    bind_mode = property(lambda self: self._bind_mode)
    path_on_compute = property(lambda self: self._path_on_compute)
    overwrite = property(lambda self: self._overwrite)
    data_type = property(lambda self: self._data_type)
    is_directory = property(lambda self: self._is_directory)
    pipeline_output_name = property(lambda self: self._pipeline_output_name)
    training_output = property(lambda self: self._training_output)
    dataset_registration = property(lambda self: self._dataset_registration)

    @datastore.setter  # type: ignore[no-redef,attr-defined]
    def datastore(self, value: Any) -> None:
        self._datastore = value

    def _set_producer(self, step: Any) -> None:
        self._producer = step

    def __str__(self) -> str:
        return "$AZUREML_DATAREFERENCE_{0}".format(self._output_name)

    __repr__ = __str__


class TrainingOutput:
    """Which training artefact (metrics or model) an AutoML/HyperDrive output carries."""

    def __init__(self, type: str, iteration: int | None = None, metric: str | None = None,
                 model_file: str | None = None):
        self._type = type
        self._iteration = iteration
        self._metric = metric
        self._model_file = model_file

    type = property(lambda self: self._type)
    iteration = property(lambda self: self._iteration)
    metric = property(lambda self: self._metric)
    model_file = property(lambda self: self._model_file)


class _PipelineIO:
    """The ``(DataPath | PipelineParameter(DataPath), DataPathComputeBinding)`` input form."""

    def __init__(self, datapath: Any = None, datapath_param: PipelineParameter | None = None,
                 datapath_compute_binding: Any = None, name: str | None = None):
        self._datapath = datapath
        self._datapath_param = datapath_param
        self._datapath_compute_binding = datapath_compute_binding
        if name:
            self._name = name
        elif datapath is not None:
            self._name = _datapath_name(datapath)
        else:
            self._name = _datapath_name(datapath_param.default_value)  # type: ignore[union-attr]
        self._producer: Any = None

    name = property(lambda self: self._name)

    @property
    def datapath(self) -> Any:
        return self._datapath if self._datapath is not None else self._datapath_param

    @property
    def datapath_param_name(self) -> str | None:
        return self._datapath_param.name if self._datapath_param is not None else None

    def _set_producer(self, step: Any) -> None:
        self._producer = step

    @staticmethod
    def _validate(value: tuple) -> None:
        if not len(value) == 2:
            raise ValueError("Length of the tuple must be 2")
        if not is_a(value[0], "DataPath") and not isinstance(value[0], PipelineParameter):
            raise ValueError("First item in the tuple should be a DataPath or PipelineParameter")
        if not is_a(value[1], "DataPathComputeBinding"):
            raise ValueError("Second item in the tuple should be DataPathComputeBinding")
        if isinstance(value[0], PipelineParameter) and not is_a(value[0].default_value, "DataPath"):
            raise ValueError("Default value for the PipelineParameter should be DataPath")

    @staticmethod
    def create(value: tuple) -> "_PipelineIO":
        _PipelineIO._validate(value)
        if isinstance(value[0], PipelineParameter):
            return _PipelineIO(datapath_param=value[0], datapath_compute_binding=value[1])
        return _PipelineIO(datapath=value[0], datapath_compute_binding=value[1])

    def as_pipeline_parameter(self) -> PipelineParameter | None:
        return self._datapath_param

    def __str__(self) -> str:
        return "$AZUREML_DATAREFERENCE_{0}".format(self._name)

    __repr__ = __str__


def _datapath_name(datapath: Any) -> str:
    name = getattr(datapath, "_name", None) or getattr(datapath, "name", None)
    if not name:
        import uuid

        name = "{0}_{1}".format(datapath_datastore_name(datapath), uuid.uuid4().hex[:8])
    return name


def datapath_datastore_name(datapath: Any) -> str:
    """Datastore name of a ``DataPath`` (the SDK keeps either a name or a Datastore object)."""
    name = getattr(datapath, "datastore_name", None)
    if name:
        return name
    store = getattr(datapath, "_datastore", None)
    return store if isinstance(store, str) else getattr(store, "name", "workspaceblobstore")
