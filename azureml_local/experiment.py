"""``azureml.core.Experiment``: a named group of runs in the workspace database.

``submit`` dispatches on the config's class through the plugin table's ``submitters``
section (``azureml_local/plugins.py``: ScriptRunConfig, estimators and Pipeline are built
in); the SDK's ``experiment_method(submit_function=...)`` decorator adds to it.
"""
from __future__ import annotations

from collections import OrderedDict
from functools import wraps
from typing import Any, Callable, Iterator

from azureml_local import plugins
from azureml_local.exceptions import AzureMLException, UserErrorException
from azureml_local.experiment_names import check_experiment_name
from azureml_local.service.urls import experiment_studio_url
from azureml_local.workspace import Workspace, find_config_file



class ViewType:
    """How ``Experiment.list`` treats archived experiments."""

    ActiveOnly = "ActiveOnly"
    All = "All"
    ArchivedOnly = "ArchivedOnly"


def register_submit_function(method_class: type, submit_function: Callable) -> None:
    """``submit_function(config, workspace, experiment_name, **kwargs) -> Run`` for configs of ``method_class``."""
    if plugins.register("submitters", method_class, submit_function) is not None:
        raise AzureMLException(f"A submit function has already been registered on {method_class} class.")


def experiment_method(submit_function: Callable | None = None) -> Callable:
    """Decorator for a config class's ``__init__`` registering its submit function (SDK shape)."""
    def decorator(init_func: Callable) -> Callable:
        @wraps(init_func)
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            register_submit_function(self.__class__, submit_function)
            return init_func(self, *args, **kwargs)
        return wrapped
    return decorator


def get_submit_function(config: Any) -> Callable:
    submit_function = plugins.submitter(type(config))
    if submit_function is None:
        raise AzureMLException("Method to be submitted has not been registered.")
    return submit_function


def _check_name(name: Any) -> None:
    check_experiment_name(name)


def _check_for_experiment_id(func: Callable) -> Callable:
    @wraps(func)
    def wrapped(self: "Experiment", *args: Any, **kwargs: Any) -> Any:
        if self._id is None:
            raise UserErrorException("{} doesn't have an id set therefore, the {} cannot modify the experiment. "
                                     "Please call the Experiment constructor by setting _create_in_cloud to True"
                                     .format(self, self.__class__.__name__))
        return func(self, *args, **kwargs)
    return wrapped


class Experiment:
    """A container of runs; created in the workspace when first named."""

    def __init__(self, workspace: Any, name: str, _skip_name_validation: bool = False, _id: str | None = None,
                 _archived_time: str | None = None, _create_in_cloud: bool = True, _experiment_dto: Any = None,
                 **kwargs: Any):
        self._workspace = workspace
        self._name = name
        if not _skip_name_validation:
            _check_name(name)
        if _create_in_cloud:
            row = workspace._context.runs.get_or_create_experiment(name)
            self._id, self._archived_time = row["id"], row["archived_time"]
        else:
            self._id, self._archived_time = _id, _archived_time

    # -- submission ------------------------------------------------------------------------
    def submit(self, config: Any, tags: dict | None = None, **kwargs: Any) -> Any:
        """Submit ``config`` (ScriptRunConfig, Pipeline, ...) and return the run at once."""
        submit_func = get_submit_function(config)
        if tags is not None and not isinstance(tags, dict):  # checked first: a queued run must not be left behind
            raise UserErrorException("tags must be a dict of tag name -> value, e.g. {\"tag\": \"value\"}; got "
                                     f"{type(tags).__name__}.")
        run = submit_func(config, self.workspace, self.name, **kwargs)
        if tags is not None:
            run.set_tags(tags)
        return run

    def start_logging(self, *args: Any, **kwargs: Any) -> Any:
        """An interactive run (Running until ``complete()``)."""
        from azureml_local.run import Run  # cycle: run imports experiment (Run.get)

        return Run._start_logging(self, *args, **kwargs)

    def get_runs(self, type: str | None = None, tags: Any = None, properties: Any = None,
                 include_children: bool = False) -> Iterator:
        from azureml_local.run import Run  # cycle: run imports experiment (Run.get)

        return Run.list(self, type=type, tags=tags, properties=properties, include_children=include_children)

    # -- registry --------------------------------------------------------------------------------
    @staticmethod
    def list(workspace: Any, experiment_name: str | None = None, view_type: str = ViewType.ActiveOnly,
             tags: Any = None) -> list["Experiment"]:
        import json

        out = []
        for row in workspace._context.runs.list_experiments(experiment_name, view_type):
            exp_tags = json.loads(row["tags"] or "{}")
            if tags is not None:
                wanted = tags.items() if isinstance(tags, dict) else [(tags, ...)]
                if not all(k in exp_tags and (v is ... or exp_tags[k] == v) for k, v in wanted):
                    continue
            out.append(Experiment(workspace, row["name"], _id=row["id"], _archived_time=row["archived_time"],
                                  _create_in_cloud=False, _skip_name_validation=True))
        return out

    @staticmethod
    def delete(workspace: Any, experiment_id: str) -> None:
        workspace._context.runs.delete_experiment(experiment_id)

    @staticmethod
    def from_directory(path: str, auth: Any = None) -> "Experiment":
        """The experiment of a folder with ``config.json`` (name from its ``experiment_name`` / folder name)."""
        import json
        import os

        ws = Workspace.from_config(path, auth=auth)
        data = json.loads(find_config_file(path).read_text())
        name = data.get("experiment_name") or os.path.basename(os.path.abspath(path))
        return Experiment(ws, name)

    @_check_for_experiment_id
    def archive(self) -> None:
        self._archived_time = self._workspace._context.runs.set_experiment_archived(self._id, True)["archived_time"]

    @_check_for_experiment_id
    def reactivate(self, new_name: str | None = None) -> None:
        if new_name is not None:
            raise UserErrorException("Cannot rename an experiment. If the archived experiment name conflicts with an "
                                     "active experiment name, you can delete the active experiment before "
                                     "unarchiving this experiment.")
        row = self._workspace._context.runs.set_experiment_archived(self._id, False)
        self._archived_time, self._name = row["archived_time"], row["name"]

    @_check_for_experiment_id
    def tag(self, key: str, value: Any = None) -> None:
        self._workspace._context.runs.set_experiment_tags(self._id, {key: value})

    @_check_for_experiment_id
    def set_tags(self, tags: dict) -> None:
        self._workspace._context.runs.set_experiment_tags(self._id, tags)

    @_check_for_experiment_id
    def remove_tags(self, tags: list) -> None:
        self._workspace._context.runs.set_experiment_tags(self._id, remove=tags)

    def refresh(self) -> None:
        row = self._workspace._context.runs.experiment(self._id) if self._id else None
        if row is not None:
            self._name, self._archived_time = row["name"], row["archived_time"]

    # -- properties ----------------------------------------------------------------------------------
    @property
    def workspace(self) -> Any:
        return self._workspace

    @property
    def workspace_object(self) -> Any:
        return self._workspace

    @property
    def name(self) -> str:
        return self._name

    @property
    def id(self) -> str | None:
        return self._id

    @property
    def archived_time(self) -> str | None:
        return self._archived_time

    @property
    def tags(self) -> dict:
        import json

        row = self._workspace._context.runs.experiment(self._id) if self._id else None
        return json.loads(row["tags"]) if row else {}

    def get_portal_url(self) -> str:
        """The experiment's runs in the local Studio (the link carries the workspace's token; the service
        is not started here: ``azureml-local studio`` starts it)."""
        return experiment_studio_url(self._workspace, self._name)

    @classmethod
    def get_docs_url(cls) -> str:
        return "https://docs.microsoft.com/en-us/python/api/azureml-core/azureml.core.experiment.experiment?view=azure-ml-py"

    # -- display -------------------------------------------------------------------------------------------
    def _serialize_to_dict(self) -> dict:
        return {"Experiment name": self.name, "Subscription id": self.workspace.subscription_id,
                "Resource group": self.workspace.resource_group, "Workspace name": self.workspace.name}

    def _get_base_info_dict(self) -> OrderedDict:
        return OrderedDict([("Name", self._name), ("Workspace", self._workspace.name)])

    def __str__(self) -> str:
        return "Experiment({0})".format(",\n".join(f"{k}: {v}" for k, v in self._get_base_info_dict().items()))

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        import html

        info = self._get_base_info_dict()
        info["Report Page"] = f'<a href="{self.get_portal_url()}" target="_blank">Link to Azure Machine Learning studio</a>'
        info["Docs Page"] = f'<a href="{self.get_docs_url()}" target="_blank">Link to Documentation</a>'
        head = "".join(f"<th>{html.escape(k)}</th>" for k in info)
        cells = "".join(f"<td>{v if k.endswith('Page') else html.escape(str(v))}</td>" for k, v in info.items())
        return f"<table style=\"width:100%\"><tr>{head}</tr><tr>{cells}</tr></table>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Experiment) and other._id == self._id and other._workspace == self._workspace

    def __hash__(self) -> int:
        return hash((self._id, self._name))
