"""The pure core: requirement and recommendation models, the decision engine, cost maths.

Nothing here does I/O; see tests/test_layering.py.
"""
