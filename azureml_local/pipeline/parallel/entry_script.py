"""``EntryScript``: the helper an entry script imports as ``from azureml_user.parallel_run import EntryScript``.

One instance per process (as in the cloud). In a ParallelRunStep worker, the worker sets where things go
(:func:`configure`) before loading the entry script: ``logger`` writes to the worker's
``logs/user/entry_script_log/<node>/<process>.log.txt``; ``output_dir`` is the step's output folder.
Outside a worker (an entry script tested by hand) the logger writes to stderr.
"""
from __future__ import annotations

import logging
import os
import sys
from typing import Any

LOG_FORMAT = "%(asctime)s|%(name)s|%(funcName)s()|%(levelname)s|%(message)s"
_settings: dict[str, Any] = {}


def configure(**settings: Any) -> None:
    """Called by the worker: ``log_file``, ``log_dir``, ``working_dir``, ``output_dir``, ``agent_name``,
    ``logging_level``."""
    _settings.update(settings)
    EntryScript._instance = None


class EntryScript:
    """What an entry script may ask of ParallelRunStep: a logger and its folders."""

    _instance: "EntryScript | None" = None

    def __new__(cls, *args: Any, **kwargs: Any) -> "EntryScript":
        if cls._instance is None:
            instance = super().__new__(cls)
            instance._logger = None
            cls._instance = instance
        return cls._instance

    def __init__(self, logging_level: Any = None):
        if logging_level is not None:
            self._level = logging_level

    def __reduce__(self) -> Any:
        return (self.__class__, ())

    @property
    def logger(self) -> logging.Logger:
        """A logger whose records go to this worker's entry script log."""
        if self._logger is None:
            logger = logging.getLogger("ParallelRunStep")
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            log_file = _settings.get("log_file")
            if log_file:
                os.makedirs(os.path.dirname(log_file), exist_ok=True)
                handler: logging.Handler = logging.FileHandler(log_file)
            else:
                handler = logging.StreamHandler(sys.stderr)
            handler.setLevel(getattr(self, "_level", None) or _settings.get("logging_level") or logging.INFO)
            handler.setFormatter(logging.Formatter(LOG_FORMAT))
            logger.addHandler(handler)
            self._logger = logger
        return self._logger

    @property
    def log_dir(self) -> str:
        """The folder of the user logs (``logs/user`` of the step)."""
        return _settings.get("log_dir") or "logs"

    @property
    def working_dir(self) -> str:
        """The step's working directory (the entry script's folder)."""
        return _settings.get("working_dir") or os.getcwd()

    @property
    def output_dir(self) -> str:
        """The step's ``output`` folder (``append_row`` writes its file there); entry scripts may write to it."""
        return _settings.get("output_dir") or "output"

    @property
    def agent_name(self) -> str:
        """This worker's name, e.g. ``process000``."""
        return _settings.get("agent_name") or "agent000"
