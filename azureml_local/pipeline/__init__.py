"""Azure ML pipelines on this machine.

Construction (``builder*.py``, ``graph*.py``, ``steps/``, ``pipeline.py``) turns the
user's Python objects into the JSON-able definition described in
``docs/pipeline-definition.md``; execution (``submission.py``, ``execution/``) runs
a definition. Neither imports the other at module level.
"""
