"""The long-lived workspace service: one event loop per workspace (uvicorn + FastAPI); docs/service.md.

* ``process``:    the process (``python -m azureml_local.service FOLDER [--host H] [--foreground]``):
  lock, the workspace's stable port, start-up order
* ``app``:        the FastAPI app factory and lifespan; ``routes/``: its routers (``system``,
  ``pipelines``: the pipelines REST API); ``rest/``: request bodies, answer entities, Azure-shaped
  errors; ``auth``: bearer tokens
* ``dispatcher``: claims queued runs and runs each handler in a worker thread; idle / folder-gone exit
* ``keep_alive``: what keeps it from exiting idle (enabled schedules, active published endpoints)
* ``scheduler``:  fires time and datastore schedules
* ``control``:    start / wake / status / stop from user processes (standard library only)
* ``info``:       ``service.json``, how clients find the service; ``urls``: its port and URLs

What executes a run is the plugin table's business (``azureml_local/plugins.py``).
"""
