"""The long-lived workspace service process (runner now; HTTP and scheduler later).

* ``handlers``: ``run_type -> handler(ws, run_id)`` registry (how a run executes)
* ``runner``:   the process main loop (queue + dispatch, orphan recovery, idle exit)
* ``azureml_local.service_control``: start / wake / stop it from user processes
"""
