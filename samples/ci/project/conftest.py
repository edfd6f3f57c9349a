"""Makes ``pipeline`` importable from the tests; the fixtures come from the azureml-local plugin itself."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
