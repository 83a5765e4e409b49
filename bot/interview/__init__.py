"""The conversation that turns free text into Requirements: pure, no I/O (DESIGN.md §2)."""
