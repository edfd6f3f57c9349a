"""Fixtures of the Studio tests: a real Chromium driven by Playwright (the OS package, never a download)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("AZUREML_LOCAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser_page():
    """A Chromium page (clipboard allowed); skipped when Playwright or Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (.ci/run installs the OS package)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            context.set_default_timeout(60_000)
            yield context.new_page()
            context.close()
        finally:
            browser.close()


@pytest.fixture
def screenshot(tmp_path: Path):
    """``screenshot(page, name)``: into tmp_path, and into $AZUREML_LOCAL_SCREENSHOTS (docs/studio) when set."""
    keep = os.environ.get("AZUREML_LOCAL_SCREENSHOTS")

    def take(page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep) / path.name)
        return path

    return take
