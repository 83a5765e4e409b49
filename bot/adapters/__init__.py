"""Everything that touches the outside world: Claude, Redis, Slack, HTTP, the terminal."""
