"""Official Azure ML v1 notebooks (vendored in ``official/``) and the harness that executes them."""
