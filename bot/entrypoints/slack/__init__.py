"""The Slack entry point: Bolt listeners, the worker, the handlers, and Block Kit rendering."""
