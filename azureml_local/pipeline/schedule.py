"""``Schedule`` (``azureml.pipeline.core.schedule``): submit a published pipeline on a recurrence or on new data.

The SDK's class: same methods, arguments, checks, messages and printed text. It checks its
arguments as the SDK does, converts SDK values to plain ones (``ScheduleRecurrence._to_dict``,
pipeline parameters in their REST shapes) and records the schedule through
``pipeline/scheduling/manage.py``; the workspace service fires it (``service/scheduler.py``). A
change is told to the service at once (``service.control.wake``), which is started if needed: an
Active schedule keeps it running.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from azureml_local.context import as_context
from azureml_local.data.datastore import Datastore
from azureml_local.pipeline.pipeline_run import PipelineRun
from azureml_local.pipeline.published_pipeline import sdk_assignments
from azureml_local.pipeline.entity_text import entity_text
from azureml_local.pipeline.schedule_recurrence import ScheduleRecurrence, TimeZone
from azureml_local.clock import utc_now
from azureml_local.pipeline.scheduling import firing, manage
from azureml_local.pipeline.publishing.submit import SCHEDULE_ID_PROPERTY
from azureml_local.service import control as service_control

if TYPE_CHECKING:
    from azureml_local.workspace import Workspace

__all__ = ["Schedule", "ScheduleRecurrence", "TimeZone"]

_SCHEDULE_YAML = ['description', 'pipeline_parameters', 'wait_for_provisioning', 'wait_timeout', 'datastore_name',
                  'polling_interval', 'data_path_parameter_name', 'continue_on_step_failure', 'path_on_datastore',
                  'recurrence']
_RECURRENCE_YAML = ['frequency', 'interval', 'start_time', 'time_zone', 'hours', 'minutes', 'time_of_day',
                    'week_days']


class Schedule(object):
    """A schedule on which to submit a published pipeline (time recurrence, or blobs landing in a datastore)."""

    def __init__(self, workspace: "Workspace", id: str, name: str, description: str | None, pipeline_id: str | None,
                 status: str, recurrence: ScheduleRecurrence | None, datastore_name: str | None,
                 polling_interval: int | None, data_path_parameter_name: str | None,
                 continue_on_step_failure: bool | None, path_on_datastore: str | None,
                 _schedule_provider: Any = None, pipeline_endpoint_id: str | None = None):
        self._id = id
        self._status = status
        self._name = name
        self._description = description
        self._recurrence = recurrence
        self._pipeline_id = pipeline_id
        self._workspace = workspace
        self._schedule_provider = _schedule_provider
        self._datastore_name = datastore_name
        self._polling_interval = polling_interval
        self._data_path_parameter_name = data_path_parameter_name
        self._continue_on_step_failure = continue_on_step_failure
        self._path_on_datastore = path_on_datastore
        self._schedule_type = 'Recurrence' if self._recurrence is not None else 'DataStore'
        self._pipeline_endpoint_id = pipeline_endpoint_id

    @classmethod
    def _from_row(cls, workspace: "Workspace", row: dict) -> "Schedule":
        recurrence = ScheduleRecurrence._from_dict(row["recurrence"]) if row["recurrence"] else None
        return cls(workspace, row["id"], row["name"], row["description"], row["pipeline_id"], row["status"],
                   recurrence, row["datastore_name"], row["polling_interval"], row["data_path_parameter_name"],
                   row["continue_on_step_failure"], row["path_on_datastore"],
                   pipeline_endpoint_id=row["pipeline_endpoint_id"])

    def _refresh(self, row: dict) -> None:
        fresh = Schedule._from_row(self._workspace, row)
        for attr in ("_name", "_description", "_status", "_recurrence", "_datastore_name", "_polling_interval",
                     "_data_path_parameter_name", "_continue_on_step_failure", "_path_on_datastore"):
            setattr(self, attr, getattr(fresh, attr))

    # -- properties ---------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._id

    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def pipeline_id(self) -> str | None:
        return self._pipeline_id

    @property
    def pipeline_endpoint_id(self) -> str | None:
        return self._pipeline_endpoint_id

    @property
    def status(self) -> str:
        return self._status

    @property
    def recurrence(self) -> ScheduleRecurrence | None:
        return self._recurrence

    @property
    def datastore_name(self) -> str | None:
        return self._datastore_name

    @property
    def polling_interval(self) -> int | None:
        return self._polling_interval

    @property
    def data_path_parameter_name(self) -> str | None:
        return self._data_path_parameter_name

    @property
    def continue_on_step_failure(self) -> bool | None:
        return self._continue_on_step_failure

    @property
    def path_on_datastore(self) -> str | None:
        return self._path_on_datastore

    # -- create ---------------------------------------------------------------------------------
    @staticmethod
    def create(workspace: "Workspace", name: str, pipeline_id: str, experiment_name: str,
               recurrence: ScheduleRecurrence | None = None, description: str | None = None,
               pipeline_parameters: dict | None = None, wait_for_provisioning: bool = False,
               wait_timeout: int = 3600, datastore: Any = None, polling_interval: int = 5,
               data_path_parameter_name: str | None = None, continue_on_step_failure: bool | None = None,
               path_on_datastore: str | None = None, _workflow_provider: Any = None,
               _service_endpoint: Any = None) -> "Schedule":
        """Create a schedule for a published pipeline (a recurrence, or a datastore to watch)."""
        return Schedule._create(workspace, name, experiment_name, recurrence, description, pipeline_parameters,
                                wait_for_provisioning, wait_timeout, datastore, polling_interval,
                                data_path_parameter_name, continue_on_step_failure, path_on_datastore,
                                pipeline_id=pipeline_id)

    @staticmethod
    def create_for_pipeline_endpoint(workspace: "Workspace", name: str, pipeline_endpoint_id: str,
                                     experiment_name: str, recurrence: ScheduleRecurrence | None = None,
                                     description: str | None = None, pipeline_parameters: dict | None = None,
                                     wait_for_provisioning: bool = False, wait_timeout: int = 3600,
                                     datastore: Any = None, polling_interval: int = 5,
                                     data_path_parameter_name: str | None = None,
                                     continue_on_step_failure: bool | None = None,
                                     path_on_datastore: str | None = None, _workflow_provider: Any = None,
                                     _service_endpoint: Any = None) -> "Schedule":
        """Create a schedule for a pipeline endpoint (it submits the endpoint's default version)."""
        return Schedule._create(workspace, name, experiment_name, recurrence, description, pipeline_parameters,
                                wait_for_provisioning, wait_timeout, datastore, polling_interval,
                                data_path_parameter_name, continue_on_step_failure, path_on_datastore,
                                pipeline_endpoint_id=pipeline_endpoint_id)

    @staticmethod
    def _create(workspace: "Workspace", name: str, experiment_name: str, recurrence: ScheduleRecurrence | None,
                description: str | None, pipeline_parameters: dict | None, wait_for_provisioning: bool,
                wait_timeout: int, datastore: Any, polling_interval: int | None,
                data_path_parameter_name: str | None, continue_on_step_failure: bool | None,
                path_on_datastore: str | None, pipeline_id: str | None = None,
                pipeline_endpoint_id: str | None = None) -> "Schedule":
        if recurrence is not None:
            if datastore is not None:
                raise ValueError('Can not specify both a Recurrence and a Datastore')
            if data_path_parameter_name is not None:
                raise ValueError('Data Path parameter name can only be specified for Datastore schedules.')
            if path_on_datastore is not None:
                raise ValueError('Path on datastore parameter can only be specified for Datastore schedules.')
            recurrence.validate()
        datastore_name = None
        if datastore is not None:
            if datastore.datastore_type != 'AzureBlob':
                raise ValueError('Datastore must be of type AzureBlobDatastore')
            datastore_name = datastore.name
        ctx = as_context(workspace)
        row = manage.create_schedule(
            ctx, name=name, experiment_name=experiment_name, pipeline_id=pipeline_id,
            pipeline_endpoint_id=pipeline_endpoint_id,
            recurrence=recurrence._to_dict() if recurrence is not None else None, description=description,
            submission=sdk_assignments(workspace, pipeline_parameters), datastore_name=datastore_name,
            polling_interval=polling_interval, data_path_parameter_name=data_path_parameter_name,
            continue_on_step_failure=continue_on_step_failure, path_on_datastore=path_on_datastore)
        firing.fire_if_due(ctx, row["id"], utc_now())  # no start_time: the first run starts at creation
        service_control.wake(ctx)  # starts the service when none runs; an Active schedule keeps it up
        schedule = Schedule._from_row(workspace, row)
        if wait_for_provisioning:
            schedule._wait_for_provisioning(timeout_seconds=wait_timeout)
        return schedule

    # -- change -----------------------------------------------------------------------------------
    def update(self, name: str | None = None, description: str | None = None,
               recurrence: ScheduleRecurrence | None = None, pipeline_parameters: dict | None = None,
               status: str | None = None, wait_for_provisioning: bool = False, wait_timeout: int = 3600,
               datastore: Any = None, polling_interval: int | None = None, data_path_parameter_name: str | None = None,
               continue_on_step_failure: bool | None = None, path_on_datastore: str | None = None) -> None:
        """Update the schedule; arguments left None keep their current values."""
        if recurrence is not None:
            if self._schedule_type != 'Recurrence':
                raise ValueError('Can not specify a recurrence for a Datastore schedule.')
            recurrence.validate()
        datastore_name = None
        if datastore is not None:
            if self._schedule_type != 'DataStore':
                raise ValueError('Can not specify a Datastore for a Recurrence schedule.')
            if datastore.datastore_type != 'AzureBlob':
                raise ValueError('Datastore must be of type AzureBlobDatastore')
            datastore_name = datastore.name
            if polling_interval is not None and polling_interval < 0:
                raise ValueError('The polling interval must be greater')
        if status is not None and status not in ['Active', 'Disabled']:
            raise ValueError('Status must be either Active or Disabled')
        if self._schedule_type != 'DataStore':  # the service keeps no datastore fields on a time schedule
            polling_interval = data_path_parameter_name = path_on_datastore = None
        ctx = as_context(self._workspace)
        row = manage.update_schedule(
            ctx, self._id, name=name, description=description,
            recurrence=recurrence._to_dict() if recurrence is not None else None,
            submission=sdk_assignments(self._workspace, pipeline_parameters) if pipeline_parameters is not None
            else None, status=status, datastore_name=datastore_name, polling_interval=polling_interval,
            data_path_parameter_name=data_path_parameter_name, continue_on_step_failure=continue_on_step_failure,
            path_on_datastore=path_on_datastore)
        self._refresh(row)
        if recurrence is not None:  # a new recurrence without start_time fires now, as at creation
            firing.fire_if_due(ctx, self._id, utc_now())
        service_control.wake(ctx)
        if wait_for_provisioning:
            self._wait_for_provisioning(timeout_seconds=wait_timeout)

    def enable(self, wait_for_provisioning: bool = False, wait_timeout: int = 3600) -> None:
        """Set the schedule to 'Active' and available to run."""
        self._set_status('Active', wait_for_provisioning=wait_for_provisioning, wait_timeout=wait_timeout)

    def disable(self, wait_for_provisioning: bool = False, wait_timeout: int = 3600) -> None:
        """Set the schedule to 'Disabled' and unavailable to run."""
        self._set_status('Disabled', wait_for_provisioning=wait_for_provisioning, wait_timeout=wait_timeout)

    def _set_status(self, new_status: str, wait_for_provisioning: bool, wait_timeout: int) -> None:
        ctx = as_context(self._workspace)
        self._refresh(manage.update_schedule(ctx, self._id, status=new_status))
        service_control.wake(ctx)
        if wait_for_provisioning:
            self._wait_for_provisioning(timeout_seconds=wait_timeout)
        self._status = new_status

    def _wait_for_provisioning(self, timeout_seconds: int) -> str:
        """Provisioning is immediate locally: the status is 'Completed' and, as in the SDK, nothing is printed."""
        status = 'Completed'
        if status == "Failed":
            print('Provisioning failed, please try again or contact support.')
        return status

    # -- runs -------------------------------------------------------------------------------------
    def get_pipeline_runs(self) -> list[PipelineRun]:
        """The pipeline runs this schedule started, newest first."""
        rows = as_context(self._workspace).runs.list_runs(properties={SCHEDULE_ID_PROPERTY: self._id},
                                                          include_children=False)
        return [PipelineRun._for_id(self._workspace, r["experiment_name"], r["run_id"]) for r in rows]

    def get_last_pipeline_run(self) -> PipelineRun | None:
        """The last pipeline run this schedule started (None when it has started none)."""
        runs = self.get_pipeline_runs()
        return runs[0] if runs else None

    # -- lookup -----------------------------------------------------------------------------------
    @staticmethod
    def get(workspace: "Workspace", id: str, _workflow_provider: Any = None,
            _service_endpoint: Any = None) -> "Schedule":
        """The schedule with the given id."""
        return Schedule._from_row(workspace, manage.get_schedule(as_context(workspace), id))

    @staticmethod
    def get_all(workspace: "Workspace", active_only: bool = True, pipeline_id: str | None = None,
                pipeline_endpoint_id: str | None = None, _workflow_provider: Any = None,
                _service_endpoint: Any = None) -> list["Schedule"]:
        """DEPRECATED: use :meth:`list`."""
        logging.warning("Schedule.get_all(workspace) is being deprecated. "
                        "Use Schedule.list(workspace) instead.")
        return Schedule.list(workspace=workspace, active_only=active_only, pipeline_id=pipeline_id,
                             pipeline_endpoint_id=pipeline_endpoint_id)

    @staticmethod
    def list(workspace: "Workspace", active_only: bool = True, pipeline_id: str | None = None,
             pipeline_endpoint_id: str | None = None, _workflow_provider: Any = None,
             _service_endpoint: Any = None) -> list["Schedule"]:
        """The workspace's schedules (only Active ones unless ``active_only=False``)."""
        if pipeline_id is not None:
            return Schedule.get_schedules_for_pipeline_id(workspace, pipeline_id)
        if pipeline_endpoint_id is not None:
            return Schedule.get_schedules_for_pipeline_endpoint_id(workspace, pipeline_endpoint_id)
        rows = as_context(workspace).schedules.list(active_only=active_only)
        return [Schedule._from_row(workspace, r) for r in rows]

    @staticmethod
    def get_schedules_for_pipeline_id(workspace: "Workspace", pipeline_id: str, _workflow_provider: Any = None,
                                      _service_endpoint: Any = None) -> list["Schedule"]:
        """Every schedule (any status) of a published pipeline."""
        rows = as_context(workspace).schedules.list(active_only=False, pipeline_id=pipeline_id)
        return [Schedule._from_row(workspace, r) for r in rows]

    @staticmethod
    def get_schedules_for_pipeline_endpoint_id(workspace: "Workspace", pipeline_endpoint_id: str,
                                               _workflow_provider: Any = None,
                                               _service_endpoint: Any = None) -> list["Schedule"]:
        """Every schedule (any status) of a pipeline endpoint."""
        rows = as_context(workspace).schedules.list(active_only=False, pipeline_endpoint_id=pipeline_endpoint_id)
        return [Schedule._from_row(workspace, r) for r in rows]

    @staticmethod
    def load_yaml(workspace: "Workspace", filename: str, _workflow_provider: Any = None,
                  _service_endpoint: Any = None) -> dict:
        """Read schedule arguments from a YAML file with a ``Schedule:`` section (SDK format)."""
        import yaml

        with open(filename, "r") as input_yaml:
            schedule_yaml = yaml.safe_load(input_yaml)
        if not isinstance(schedule_yaml, dict) or 'Schedule' not in schedule_yaml:
            raise ValueError('Schedule Yaml file must have a "Schedule:" section')
        section = schedule_yaml['Schedule']
        extract: dict[str, Any] = {}
        for key in _SCHEDULE_YAML:
            if key not in section:
                continue
            value = section[key]
            if key == "datastore_name" and value is not None:
                value = Datastore(workspace=workspace, name=value)
            elif key == "recurrence" and value is not None:
                rec = {k: value[k] for k in _RECURRENCE_YAML if k in value}
                time_zone = TimeZone(rec['time_zone']) if rec.get('time_zone') is not None else None
                value = ScheduleRecurrence(frequency=rec['frequency'], interval=rec['interval'],
                                           start_time=rec.get('start_time'), time_zone=time_zone,
                                           hours=rec.get('hours'), minutes=rec.get('minutes'),
                                           time_of_day=rec.get('time_of_day'), week_days=rec.get('week_days'))
            extract[key] = value
        return extract

    # -- display ----------------------------------------------------------------------------------
    def _get_base_info_dict(self, show_link: bool) -> OrderedDict:
        """What ``str()`` and the CLI show: identity, then when it fires (or what it watches)."""
        info = OrderedDict(Name=self.name, Id=self.id, Status=self.status)
        info["Pipeline Id"] = self.pipeline_id
        info["Pipeline Endpoint Id"] = self.pipeline_endpoint_id
        if self._schedule_type == 'Recurrence':
            info["Recurrence Details"] = _recurrence_details(self.recurrence)
        else:
            info["Datastore"] = self.datastore_name
            if self.path_on_datastore is not None:
                info["Path on Datastore"] = self.path_on_datastore
        return info

    def _to_dict_cli(self, verbose: bool = True) -> dict:
        result = self._get_base_info_dict(show_link=False)
        if verbose:
            result["Description"] = self.description
        return result

    def __str__(self) -> str:
        return entity_text("Pipeline", self._get_base_info_dict(show_link=False))  # "Pipeline(", as in the SDK

    def __repr__(self) -> str:
        return self.__str__()


def _recurrence_details(recurrence: ScheduleRecurrence) -> str:
    """The SDK's sentence, e.g. ``Runs at 10:30 on Monday every 2 Weeks``."""
    words = ["Runs"]
    if recurrence.hours is not None or recurrence.minutes is not None:
        minutes = ["00" if str(m) == "0" else str(m) for m in recurrence.minutes or ["00"]]
        words.append("at " + ", ".join(f"{h}:{m}" for h in recurrence.hours or ["00"] for m in minutes))
    if recurrence.week_days:
        words.append("on " + ", ".join(map(str, recurrence.week_days)))
    every = str(recurrence.frequency) if recurrence.interval == 1 else f"{recurrence.interval} {recurrence.frequency}s"
    words.append("every " + every)
    return " ".join(words)
