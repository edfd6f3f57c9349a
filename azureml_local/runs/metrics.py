"""Run logging (``log*``) and ``get_metrics``: a mixin of :class:`azureml_local.run.Run`.

Every logged value is one ``run_metrics`` row ``(name, kind, JSON value, step)``;
``get_metrics`` folds them the SDK's way: a scalar logged once is a scalar, N
times a list; ``log_list`` a list; rows and tables ``{column: values}``; image
and other artifact-backed metrics their ``aml://artifactId/...`` location.
"""
from __future__ import annotations

import io
import json
import os
import time
from typing import Any

from azureml_local.exceptions import AzureMLException, UserErrorException
from azureml_local.runs import artifacts

ARTIFACT_KINDS = ("image",)
JSON_KINDS = ("confusion_matrix", "accuracy_table", "residuals", "predictions")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, range)):
        return [_jsonable(v) for v in value]
    return value


class RunMetricsMixin:
    """Logging methods; the host class provides ``_ws``, ``_run_id`` and ``_check_writable``."""

    def _log_metric(self, name: str, kind: str, value: Any, step: int | None = None, description: str = "") -> None:
        _check_name(name)
        try:
            payload = json.dumps(_jsonable(value))
        except (TypeError, ValueError) as exc:
            raise UserErrorException(f"Metric '{name}' cannot be logged: its value {value!r} is not a number, "
                                     f"string, boolean or list/dict of those ({exc}).") from exc
        self._ws._context.runs.log_metric(self._run_id, name, kind, payload, step, description)

    def log(self, name: str, value: Any, description: str = "", step: int | None = None) -> None:
        """Log a scalar (number, string, bool); repeated logs of a name form a list (``step`` optional)."""
        if isinstance(value, (list, tuple, range)) or (hasattr(value, "__next__")):
            raise UserErrorException("run.log does not support list type. Use run.log_list instead")
        if isinstance(value, dict):
            raise UserErrorException("run.log does not support dict type. Use run.log_row or run.log_table instead")
        self._log_metric(name, "scalar", value, step, description)

    def log_list(self, name: str, value: Any, description: str = "") -> None:
        self._log_metric(name, "list", list(value), None, description)

    def log_row(self, name: str, description: str | None = None, **kwargs: Any) -> None:
        self._log_metric(name, "row", kwargs, None, description or "")

    def log_table(self, name: str, value: dict, description: str = "") -> None:
        if not isinstance(value, dict):
            raise UserErrorException("run.log_table expects a dict of column name -> list of values.")
        self._log_metric(name, "table", value, None, description)

    def log_confusion_matrix(self, name: str, value: Any, description: str = "") -> None:
        self._log_metric(name, "confusion_matrix", _parse_json_arg(value), None, description)

    def log_accuracy_table(self, name: str, value: Any, description: str = "") -> None:
        self._log_metric(name, "accuracy_table", _parse_json_arg(value), None, description)

    def log_residuals(self, name: str, value: Any, description: str = "") -> None:
        self._log_metric(name, "residuals", _parse_json_arg(value), None, description)

    def log_predictions(self, name: str, value: Any, description: str = "") -> None:
        self._log_metric(name, "predictions", _parse_json_arg(value), None, description)

    def log_image(self, name: str, path: str | None = None, plot: Any = None, description: str = "") -> None:
        """Store the image (a file ``path`` or a matplotlib ``plot``) as a PNG run artifact."""
        if path is not None and plot is not None:
            raise AzureMLException("Invalid parameters, path and plot were both provided, only one at a time is "
                                   "supported")
        if path is None and plot is None:
            raise AzureMLException("Invalid parameters, one of path and plot is required as input")
        _check_name(name)  # before the image is uploaded: a rejected metric leaves no artifact
        if plot is not None:
            artifact_path = f"{name}_{int(time.time())}.png"
            buf = io.BytesIO()
            figure = getattr(plot, "gcf", None)
            target = figure() if callable(figure) else plot  # pyplot module or Figure
            try:
                target.savefig(buf, format="png")
            except AttributeError as exc:
                raise UserErrorException("plot must be a matplotlib.pyplot module or Figure with savefig().") from exc
            artifacts.upload_bytes(self._ws, self._run_id, artifact_path, buf.getvalue())
        else:
            if not os.path.isfile(path):
                raise UserErrorException(f"Image file {path} was not found. Pass the path of an existing image.")
            artifact_path = artifacts.normalize(os.path.relpath(path) if not os.path.isabs(path)
                                                else os.path.basename(path))
            artifacts.upload_paths(self._ws, self._run_id, [(artifact_path, path)])
        self._log_metric(name, "image", artifacts.artifact_uri(self._run_id, artifact_path), None, description)

    # -- reading --------------------------------------------------------------------------
    def get_metrics(self, name: str | None = None, recursive: bool = False, run_type: str | None = None,
                    populate: bool = False) -> dict:
        """``{name: value}`` (``recursive=True``: ``{run_id: {name: value}}`` incl. this run)."""
        if recursive:
            out = {}
            for run in [self, *self.get_children(recursive=True)]:
                if run_type is None or run.type == run_type:
                    out[run.id] = run.get_metrics(name=name, populate=populate)
            return out
        grouped: dict[str, list] = {}
        for metric, kind, value in self._ws._context.runs.metrics(self._run_id, name):
            grouped.setdefault(metric, []).append((kind, value))
        return {n: _fold(entries, self, populate) for n, entries in grouped.items()}


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name:
        raise UserErrorException("Metric name must be a non-empty string.")


def _parse_json_arg(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise UserErrorException(f"The metric value must be a dict or a JSON string ({exc}).") from exc
    return _jsonable(value)


def _fold(entries: list[tuple[str, Any]], run: Any, populate: bool) -> Any:
    kind = entries[-1][0]
    values = [v for _, v in entries]
    if kind == "row":
        columns: dict[str, list] = {}
        for row in values:
            for col, v in row.items():
                columns.setdefault(col, []).append(v)
        if len(values) == 1:
            return dict(values[0])
        return columns
    if kind == "table":
        if len(values) == 1:
            return values[0]
        merged: dict[str, list] = {}
        for table in values:
            for col, v in table.items():
                merged.setdefault(col, []).extend(v if isinstance(v, list) else [v])
        return merged
    if kind == "image" and populate:
        prefix = "aml://artifactId/"
        names = [v[len(prefix):].split("/", 2)[-1] for v in values]
        data = [artifacts.read_bytes(run._ws, run._run_id, n) for n in names]
        return data[0] if len(data) == 1 else data
    return values[0] if len(values) == 1 else values
