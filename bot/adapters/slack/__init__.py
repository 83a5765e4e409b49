"""The Slack adapter: Block Kit rendering, Bolt listeners and the app that wires them."""
