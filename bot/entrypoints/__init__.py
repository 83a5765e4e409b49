"""What drives the service: Slack, HTTP, `serve`, the terminal, `decide`, `doctor`, the manifest.

Only entry points import `bot.bootstrap`, the composition root.
"""
