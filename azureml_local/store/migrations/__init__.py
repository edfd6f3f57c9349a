"""Schema migrations, one module per area. Each module defines ``STEPS: list[str]``.

Never edit a step that has shipped: append a new one. Step N of an area runs
once per database, in order, inside one transaction with the others.
"""
