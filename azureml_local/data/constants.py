"""The SDK's data constants (``azureml.data.constants``)."""

from azureml_local.jobs.placeholders import INPUT_TEMPLATE as _DATASET_ARGUMENT_TEMPLATE  # noqa: F401 - SDK name
from azureml_local.jobs.placeholders import OUTPUT_TEMPLATE as _DATASET_OUTPUT_ARGUMENT_TEMPLATE  # noqa: F401

UPLOAD_MODE = "upload"
DOWNLOAD_MODE = "download"
MOUNT_MODE = "mount"
DIRECT_MODE = "direct"
HDFS_MODE = "hdfs"
LINK_MODE = "link"
