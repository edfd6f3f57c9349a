"""``python -m azureml_local.service WORKSPACE_FOLDER``: run a workspace's service (``process.py``)."""
import sys

from azureml_local.service.process import main

sys.exit(main())
