"""Names shared by the sweep's submit side (SDK classes) and its controller (the service): stdlib only."""
import uuid

RUN_TYPE = "hyperdrive"
SWEEP_KEY = "_hyperdrive"  # the key of a sweep run's definition holding what its controller needs
TAG_PREFIX = "_aml_system_"
BEST_CHILD_METRIC = "best_child_by_primary_metric"  # the row the controller logs on the sweep run


def child_flag(name: str) -> str:
    """The command-line flag of a hyperparameter: its name as written when it starts with '-', else ``--name``."""
    return name if name.startswith("-") else f"--{name}"


def new_sweep_id() -> str:
    """The SDK's form of a HyperDrive run id: ``HD_<uuid>``."""
    return f"HD_{uuid.uuid4()}"
