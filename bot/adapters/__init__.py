"""What the service drives: Claude, the session stores, metrics, logs and the prompt files.

Nothing here imports an entry point or `bot.bootstrap`; `tests/test_layering.py` holds that.
"""
