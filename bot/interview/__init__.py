"""The conversation that turns free text into Requirements: pure, no I/O (docs/design.md §2)."""
