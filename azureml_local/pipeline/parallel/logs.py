"""Where a ParallelRunStep writes its logs: ``logs/`` in the step's working directory.

Uploaded with the step run's files (``logs/...``), in the layout of the cloud job (node folders are
``node<k>``; the cloud names them by IP address)::

    logs/job_progress_overview.<yyyymmddHHMMSS>.txt   progress lines and the result
    logs/job_result.txt                                the result (success or the failure reason)
    logs/job_error.txt                                 the failure reason (only when the step failed)
    logs/sys/master_role.txt                           the driver's events (workers started, retries, kills)
    logs/user/stdout/node<k>/process<NNN>.stdout.txt   a worker's stdout (the entry script's prints)
    logs/user/stderr/node<k>/process<NNN>.stderr.txt   a worker's stderr
    logs/user/entry_script_log/node<k>/process<NNN>.log.txt   EntryScript().logger of that worker
    logs/user/error/node<k>/process<NNN>.txt           tracebacks of failed run() calls of that worker
"""
from __future__ import annotations

import time
from pathlib import Path


class LogLayout:
    def __init__(self, root: str | Path = "logs"):
        self.root = Path(root).absolute()
        self.overview = self.root / time.strftime("job_progress_overview.%Y%m%d%H%M%S.txt", time.gmtime())
        self.master = self.root / "sys" / "master_role.txt"

    def worker_files(self, node: int, name: str) -> dict[str, str]:
        user, folder = self.root / "user", f"node{node}"
        return {"stdout": str(user / "stdout" / folder / f"{name}.stdout.txt"),
                "stderr": str(user / "stderr" / folder / f"{name}.stderr.txt"),
                "entry_log": str(user / "entry_script_log" / folder / f"{name}.log.txt"),
                "log_dir": str(user)}

    def record_error(self, node: int, name: str, text: str) -> None:
        self._append(self.root / "user" / "error" / f"node{node}" / f"{name}.txt", text.rstrip() + "\n")

    def event(self, line: str) -> None:
        self._append(self.master, f"{_now()} {line}\n")

    def progress(self, line: str) -> None:
        self._append(self.overview, f"{_now()} {line}\n")

    def result(self, line: str, failed: bool) -> None:
        self._append(self.overview, f"{_now()} {line}\n")
        (self.root / "job_result.txt").write_text(line + "\n")
        if failed:
            (self.root / "job_error.txt").write_text(line + "\n")

    @staticmethod
    def _append(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as f:
            f.write(text)


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
