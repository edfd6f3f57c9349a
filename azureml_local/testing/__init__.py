"""Testing helpers for code that uses azureml-local: the pytest plugin, ``mock_workspace``, cloud URLs.

``pytest_plugin`` (loaded by pytest through the ``pytest11`` entry point), ``mock.mock_workspace`` (also
``azureml_local.mock_workspace``), ``cloud_urls.CloudUrls``, ``runs.wait_for_runs``; docs/testing.md.
"""
