"""The HTTP server: its routes, and the capped body reader that runs before any parsing."""
