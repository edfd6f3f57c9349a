"""Schedule: the SDK surface (create, get, list, update, enable/disable, str, load_yaml) and its checks.

Schedules here start in the far future, so the service (started by create, as in use) fires nothing;
firing is tested in tests/pipeline/scheduling/ and tests/service/test_scheduler.py.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from azureml.core import Datastore
from azureml.exceptions import ServiceException
from azureml.pipeline.core import Schedule, ScheduleRecurrence, TimeZone

FUTURE = "2099-01-05T00:00:00"


def _weekly() -> ScheduleRecurrence:
    return ScheduleRecurrence(frequency="Week", interval=2, week_days=["Monday"], time_of_day="10:30",
                              time_zone=TimeZone.PacificStandardTime, start_time=FUTURE)


@pytest.mark.parametrize("kwargs, message", [
    (dict(datastore="x"), "Can not specify both a Recurrence and a Datastore"),
    (dict(data_path_parameter_name="p"), "Data Path parameter name can only be specified for Datastore schedules."),
    (dict(path_on_datastore="in"), "Path on datastore parameter can only be specified for Datastore schedules."),
])
def test_create_checks_recurrence_arguments(ws, published, kwargs, message):
    with pytest.raises(ValueError) as info:
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e", recurrence=_weekly(), **kwargs)
    assert str(info.value) == message
    with pytest.raises(ValueError, match="^Interval must be an integer greater than 0.$"):
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e",
                        recurrence=ScheduleRecurrence(frequency="Day", interval=0))
    assert Schedule.list(ws, active_only=False) == []  # nothing stored


def test_datastore_schedules_need_a_blob_datastore_and_a_known_pipeline(ws, published):
    with pytest.raises(ValueError, match="^Datastore must be of type AzureBlobDatastore$"):
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e",
                        datastore=Datastore(ws, "workspacefilestore"))
    with pytest.raises(ServiceException, match="PipelineNotFound.*'no-such-id'"):
        Schedule.create(ws, name="s", pipeline_id="no-such-id", experiment_name="e", recurrence=_weekly())
    with pytest.raises(ServiceException, match="PipelineEndpointNotFound"):
        Schedule.create_for_pipeline_endpoint(ws, name="s", pipeline_endpoint_id="nope", experiment_name="e",
                                              recurrence=_weekly())
    with pytest.raises(ValueError, match="needs a trigger"):
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e")
    assert Schedule.list(ws, active_only=False) == []


def test_create_get_list_str_and_provisioning(ws, published, capsys):
    schedule = Schedule.create(ws, name="biweekly", pipeline_id=published.id, experiment_name="sched-exp",
                               recurrence=_weekly(), description="every other Monday",
                               pipeline_parameters={"rate": 0.25}, wait_for_provisioning=True,
                               continue_on_step_failure=True)
    assert capsys.readouterr().out == ""  # provisioning completes at once: the SDK prints nothing then
    assert (schedule.name, schedule.description, schedule.status, schedule.pipeline_id) == \
        ("biweekly", "every other Monday", "Active", published.id)
    assert schedule.pipeline_endpoint_id is None and schedule.continue_on_step_failure is True
    assert (schedule.datastore_name, schedule.polling_interval, schedule.path_on_datastore) == (None, None, None)
    assert str(schedule) == (f"Pipeline(Name: biweekly,\nId: {schedule.id},\nStatus: Active,\n"
                             f"Pipeline Id: {published.id},\nPipeline Endpoint Id: None,\n"
                             "Recurrence Details: Runs at 10:30 on Monday every 2 Weeks)")
    got = Schedule.get(ws, schedule.id)
    rec = got.recurrence
    assert (rec.frequency, rec.interval, rec.hours, rec.minutes, rec.week_days, rec.start_time, rec.time_zone) == \
        ("Week", 2, [10], [30], ["Monday"], FUTURE, TimeZone.PacificStandardTime)
    assert [s.id for s in Schedule.list(ws)] == [schedule.id]
    assert [s.id for s in Schedule.list(ws, pipeline_id=published.id)] == [schedule.id]
    assert [s.id for s in Schedule.get_schedules_for_pipeline_id(ws, published.id)] == [schedule.id]
    assert Schedule.get_schedules_for_pipeline_endpoint_id(ws, "other") == []
    assert schedule.get_pipeline_runs() == [] and schedule.get_last_pipeline_run() is None
    with pytest.raises(ServiceException, match="No schedule with id 'missing'"):
        Schedule.get(ws, "missing")


def test_update_enable_disable(ws, published, caplog):
    schedule = Schedule.create(ws, name="daily", pipeline_id=published.id, experiment_name="e",
                               recurrence=ScheduleRecurrence(frequency="Day", interval=1, start_time=FUTURE))
    assert str(schedule).endswith("Recurrence Details: Runs every Day)")
    with pytest.raises(ValueError, match="^Can not specify a Datastore for a Recurrence schedule.$"):
        schedule.update(datastore=Datastore(ws, "workspaceblobstore"))
    with pytest.raises(ValueError, match="^Status must be either Active or Disabled$"):
        schedule.update(status="Paused")
    with pytest.raises(ValueError, match="^Hours must be between 0 and 23.$"):
        schedule.update(recurrence=ScheduleRecurrence(frequency="Day", interval=1, hours=[25]))
    schedule.update(name="hourly", description="changed",
                    recurrence=ScheduleRecurrence(frequency="Hour", interval=3, start_time=FUTURE))
    assert (schedule.name, schedule.description, schedule.recurrence.frequency) == ("hourly", "changed", "Hour")
    assert str(Schedule.get(ws, schedule.id)).endswith("Recurrence Details: Runs every 3 Hours)")
    schedule.disable()
    assert schedule.status == "Disabled" and Schedule.get(ws, schedule.id).status == "Disabled"
    assert Schedule.list(ws) == [] and [s.id for s in Schedule.list(ws, active_only=False)] == [schedule.id]
    assert ws._context.schedules.has_active() is False
    schedule.enable()
    assert Schedule.get(ws, schedule.id).status == "Active"
    with caplog.at_level(logging.WARNING):
        assert [s.id for s in Schedule.get_all(ws)] == [schedule.id]
    assert "Schedule.get_all(workspace) is being deprecated. Use Schedule.list(workspace) instead." in caplog.text


def test_datastore_schedule_str_and_update_checks(ws, landing_pipeline):
    published = landing_pipeline
    store = Datastore(ws, "workspaceblobstore")
    schedule = Schedule.create(ws, name="on-data", pipeline_id=published.id, experiment_name="e", datastore=store,
                               path_on_datastore="landing", data_path_parameter_name="input_path")
    assert (schedule.datastore_name, schedule.polling_interval, schedule.path_on_datastore,
            schedule.data_path_parameter_name) == ("workspaceblobstore", 5, "landing", "input_path")
    assert schedule.recurrence is None
    assert str(schedule) == (f"Pipeline(Name: on-data,\nId: {schedule.id},\nStatus: Active,\n"
                             f"Pipeline Id: {published.id},\nPipeline Endpoint Id: None,\n"
                             "Datastore: workspaceblobstore,\nPath on Datastore: landing)")
    with pytest.raises(ValueError, match="^Can not specify a recurrence for a Datastore schedule.$"):
        schedule.update(recurrence=ScheduleRecurrence(frequency="Day", interval=1))
    with pytest.raises(ValueError, match="^The polling interval must be greater$"):
        schedule.update(datastore=store, polling_interval=-1)
    schedule.update(polling_interval=15)
    assert Schedule.get(ws, schedule.id).polling_interval == 15
    schedule.disable()


def test_load_yaml_reads_the_sdk_format(ws, tmp_path: Path):
    (tmp_path / "recurrence.yaml").write_text(
        "Schedule:\n"
        "    description: \"Test create with recurrence\"\n"
        "    recurrence:\n"
        "        frequency: Week\n"
        "        interval: 1\n"
        "        start_time: 2019-06-07T10:50:00\n"
        "        time_zone: UTC\n"
        "        hours:\n"
        "        - 1\n"
        "        minutes:\n"
        "        - 0\n"
        "        time_of_day: null\n"
        "        week_days:\n"
        "        - Friday\n"
        "    pipeline_parameters: {'a':1}\n"
        "    wait_for_provisioning: True\n"
        "    wait_timeout: 3600\n"
        "    datastore_name: ~\n"
        "    polling_interval: ~\n")
    info = Schedule.load_yaml(ws, str(tmp_path / "recurrence.yaml"))
    rec = info["recurrence"]
    assert (rec.frequency, rec.interval, rec.start_time, rec.time_zone, rec.hours, rec.minutes, rec.week_days) == \
        ("Week", 1, "2019-06-07T10:50:00", TimeZone.UTC, [1], [0], ["Friday"])
    assert info["description"] == "Test create with recurrence" and info["pipeline_parameters"] == {"a": 1}
    assert info["datastore_name"] is None and info["wait_for_provisioning"] is True
    (tmp_path / "datastore.yaml").write_text("Schedule:\n    datastore_name: workspaceblobstore\n"
                                             "    polling_interval: 10\n    path_on_datastore: in\n")
    info = Schedule.load_yaml(ws, str(tmp_path / "datastore.yaml"))
    assert info["datastore_name"].name == "workspaceblobstore" and info["polling_interval"] == 10
    (tmp_path / "bad.yaml").write_text("Other: {}\n")
    with pytest.raises(ValueError, match='^Schedule Yaml file must have a "Schedule:" section$'):
        Schedule.load_yaml(ws, str(tmp_path / "bad.yaml"))


def test_parameters_that_do_not_fit_the_pipeline_are_refused_at_create(ws, published, landing_pipeline):
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="UnknownPipelineParameter.*'speed'"):
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e", recurrence=_weekly(),
                        pipeline_parameters={"speed": 1})
    with pytest.raises(UserErrorException, match="InvalidParameterValue"):
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e", recurrence=_weekly(),
                        pipeline_parameters={"rate": "fast"})
    with pytest.raises(UserErrorException, match="'rate' is not a DataPath PipelineParameter"):
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e",
                        datastore=Datastore(ws, "workspaceblobstore"), data_path_parameter_name="rate")
    with pytest.raises(Exception, match="^Invalid parameter type <class 'list'>$"):
        Schedule.create(ws, name="s", pipeline_id=published.id, experiment_name="e", recurrence=_weekly(),
                        pipeline_parameters={"rate": [1]})
    assert Schedule.list(ws, active_only=False) == []
    schedule = Schedule.create(ws, name="ok", pipeline_id=landing_pipeline.id, experiment_name="e",
                               datastore=Datastore(ws, "workspaceblobstore"), data_path_parameter_name="input_path")
    with pytest.raises(UserErrorException, match="UnknownPipelineParameter"):
        schedule.update(pipeline_parameters={"nope": 1})
    schedule.disable()


def test_create_for_pipeline_endpoint(ws, published):
    from azureml.pipeline.core import PipelineEndpoint

    endpoint = PipelineEndpoint.publish(ws, name="ep-for-schedule", description="d", pipeline=published)
    schedule = Schedule.create_for_pipeline_endpoint(ws, name="ep-weekly", pipeline_endpoint_id=endpoint.id,
                                                     experiment_name="e", recurrence=_weekly())
    assert (schedule.pipeline_id, schedule.pipeline_endpoint_id) == (None, endpoint.id)
    assert f"Pipeline Id: None,\nPipeline Endpoint Id: {endpoint.id}," in str(schedule)
    assert [s.id for s in Schedule.get_schedules_for_pipeline_endpoint_id(ws, endpoint.id)] == [schedule.id]
    schedule.disable()


def test_without_start_time_the_first_run_starts_at_creation_even_if_disabled_at_once(ws, published):
    """As in Azure (and the official schedule notebook's My_Schedule): create starts the first run itself."""
    import time

    schedule = Schedule.create(ws, name="now", pipeline_id=published.id, experiment_name="at-creation",
                               recurrence=ScheduleRecurrence(frequency="Hour", interval=1),
                               pipeline_parameters={"rate": 0.25})
    schedule.disable()
    first = schedule.get_last_pipeline_run()
    assert first is not None and first.get_properties()["azureml.scheduleId"] == schedule.id
    assert first.wait_for_completion(show_output=False) == "Finished"
    [step_run] = list(first.get_steps())
    assert "['--rate', '0.25']" in step_run.get_stdout_log()
    time.sleep(1.5)  # a scheduler pass in the running service must not fire the same instant again
    assert [r.id for r in schedule.get_pipeline_runs()] == [first.id]
