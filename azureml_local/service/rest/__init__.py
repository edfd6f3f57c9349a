"""The pipelines REST API's shapes, apart from the HTTP plumbing.

* ``payload``:  the JSON body of a submit (``PipelineSubmissionInfo``) -> ``SubmitRequest``
* ``entities``: a recorded pipeline run -> the ``PipelineRunEntity`` JSON the SDK deserialises
* ``errors``:   Azure-shaped error bodies and the app's exception handlers (every 4xx/5xx)

``payload`` and ``entities`` are plain Python (testable without a server); ``errors`` needs FastAPI.
"""
