"""How a run shows itself: ``str(run)``, ``_repr_html_``, portal/docs links, identity: a Run mixin."""
from __future__ import annotations

from collections import OrderedDict

from azureml_local.service.urls import run_studio_url


class RunDisplayMixin:
    """The host class provides ``_ws``, ``_run_id``, ``_experiment``, ``type``, ``status``, ``DELIM``."""

    @property
    def identity(self) -> str:
        return f"{type(self).__name__}{self.DELIM}{self._run_id}"

    @property
    def portal_url(self) -> str:
        return self.get_portal_url()

    @classmethod
    def get_docs_url(cls) -> str:
        return "https://docs.microsoft.com/en-us/python/api/azureml-core/azureml.core.run.run?view=azure-ml-py"

    def get_portal_url(self) -> str:
        """The run's page in the local Studio, on the workspace service's stable port; the link carries a
        token of the workspace. Never starts the service: a step or a notebook's display asking for a link
        must not spawn one (submit, ``wait_for_completion`` and ``azureml-local studio`` do)."""
        return run_studio_url(self._ws, self._run_id)

    # -- display -------------------------------------------------------------------------------------------
    def _get_base_info_dict(self) -> OrderedDict:
        return OrderedDict([("Experiment", self._experiment.name), ("Id", self._run_id), ("Type", self.type),
                            ("Status", self.status)])

    def __str__(self) -> str:
        info = self._get_base_info_dict()
        return "Run({})".format(",\n".join(f"{k}: {v}" for k, v in info.items()))

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        import html

        info = self._get_base_info_dict()
        info["Details Page"] = f'<a href="{self.get_portal_url()}" target="_blank">Link to Azure Machine Learning studio</a>'
        info["Docs Page"] = ('<a href="https://docs.microsoft.com/en-us/python/api/azureml-core/azureml.core.run.run'
                             '?view=azure-ml-py" target="_blank">Link to Documentation</a>')
        head = "".join(f"<th>{html.escape(k)}</th>" for k in info)
        cells = "".join(f"<td>{v if k.endswith('Page') else html.escape(str(v))}</td>" for k, v in info.items())
        return f"<table style=\"width:100%\"><tr>{head}</tr><tr>{cells}</tr></table>"
