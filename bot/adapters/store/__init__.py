"""Session stores: in memory (the embedded default) and Redis, one contract, one codec."""
