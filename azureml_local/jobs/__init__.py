"""Jobs: the one JSON job spec every queued run carries, and the one binder that gives it its data.

``spec.py`` (the step dict of ``docs/pipeline-definition.md``, validated), ``binding.py`` (inputs,
outputs, argv, environment), ``handoff.py`` (how a consumer gets a producer's output folder),
``placeholders.py`` (the SDK's textual placeholders and names), ``runner.py`` (the
``azureml.scriptrun`` handler). See ``docs/jobs.md``.
"""
