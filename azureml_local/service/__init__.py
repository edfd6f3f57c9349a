"""The long-lived workspace service: one event loop per workspace (uvicorn + FastAPI).

* ``process``:    the process (``python -m azureml_local.service FOLDER``): lock, socket, start-up order
* ``app``:        the FastAPI app factory and lifespan; ``routes/``: its routers; ``auth``: bearer tokens
* ``dispatcher``: claims queued runs and runs each handler in a worker thread; idle / folder-gone exit
* ``control``:    start / wake / status / stop from user processes (standard library only)
* ``info``:       ``service.json``, how clients find the service

What executes a run is the plugin table's business (``azureml_local/plugins.py``).
"""
