"""Published pipelines, pipeline endpoints and drafts below the SDK classes (ctx and plain values).

``request.py`` is the one shape of "start a published pipeline" that the SDK classes, the REST
routes (``service/routes/pipelines.py``) and the scheduler (``service/scheduler.py``) share;
``submit.py`` validates it against the stored definition and records the run.
"""
