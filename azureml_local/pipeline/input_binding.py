"""``as_download`` / ``as_mount`` / ``as_input`` / ``create_input_binding`` for step outputs.

``PipelineData`` and ``PortDataReference`` (a previous run's output) both become a step's input
the same way: an ``InputPortBinding`` in ``mount`` (default) or ``download`` mode.
"""
from __future__ import annotations

from typing import Any

from azureml_local.pipeline.graph import InputPortBinding


class InputBindable:
    """Mixin: subclasses say which name a binding gets by default (``_default_input_name``)."""

    def _default_input_name(self) -> str:
        raise NotImplementedError

    def as_download(self, input_name: str | None = None, path_on_compute: str | None = None,
                    overwrite: bool | None = None) -> Any:
        return self.create_input_binding(input_name=input_name, mode="download", path_on_compute=path_on_compute,
                                         overwrite=overwrite)

    def as_mount(self, input_name: str | None = None) -> Any:
        return self.create_input_binding(input_name=input_name, mode="mount")

    def as_input(self, input_name: str) -> Any:
        return self.create_input_binding(input_name=input_name)

    def create_input_binding(self, input_name: str | None = None, mode: str | None = None,
                             path_on_compute: str | None = None, overwrite: bool | None = None) -> Any:
        input_name = self._default_input_name() if input_name is None else input_name
        mode = "mount" if mode is None else mode
        if mode not in ["mount", "download"]:
            raise ValueError("Input [%s] has an invalid mode [%s]" % (input_name, mode))
        return InputPortBinding(name=input_name, bind_object=self, bind_mode=mode,
                                path_on_compute=path_on_compute, overwrite=overwrite)
