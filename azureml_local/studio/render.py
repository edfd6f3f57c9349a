"""HTML of the Studio pages: Jinja2 templates and static files shipped in this package (no CDN).

Autoescaping is on: run names, tags, log text and metric values are user text. Pre-rendered SVG
(``charts.py``, ``graph.py``, which escape their own text) is marked safe where it is inserted.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from azureml_local.exceptions import UserErrorException

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".png": "image/png"}

NAV = (("Experiments", "/studio"), ("Pipelines", "/studio/pipelines"), ("Schedules", "/studio/schedules"),
       ("Datastores", "/studio/datastores"), ("Datasets", "/studio/datasets"), ("Models", "/studio/models"),
       ("Compute", "/studio/computes"), ("Environments", "/studio/environments"))


@lru_cache(maxsize=1)
def environment() -> Any:
    """The template environment (jinja2 comes with the ``studio`` extra; the service runs without it)."""
    try:
        import jinja2
    except ImportError as exc:
        raise UserErrorException("The Studio pages need jinja2: pip install 'azureml-local[studio]' and restart "
                                 "the service (azureml-local service stop).") from exc
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.filters["qpath"] = lambda value: quote(str(value))
    env.filters["tojson_pretty"] = lambda value: json.dumps(value, indent=2, default=str)
    env.globals["nav"] = NAV
    env.globals["query"] = lambda base, **params: base + "?" + urlencode(
        {k: v for k, v in params.items() if v not in (None, "", False)})
    return env


def page(template: str, workspace_name: str, **data: Any) -> str:
    """Render ``templates/<template>`` with the page data and the workspace name for the header."""
    return environment().get_template(template).render(workspace_name=workspace_name, **data)


def static_file(name: str) -> tuple[bytes, str] | None:
    """``(bytes, content type)`` of a shipped asset; None for anything not directly in ``static/``."""
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = STATIC / name
    if not path.is_file():
        return None
    return path.read_bytes(), STATIC_TYPES.get(path.suffix, "application/octet-stream")
