#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole test suite against a real Azurite.
# The tests start their own Azurite (tests/conftest.py) from node_modules/.bin.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The real SDK's wheels (read, never installed) for the manifest staleness test; without a network
# that one test is skipped, and says so.
.venv/bin/python tools/sdk_manifest.py --fetch || echo "SDK wheels not downloaded: test_manifest_is_reproducible will be skipped" >&2
# pytest exits 5 when it collected no test: with `set -e` that fails this script, as it must.
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
