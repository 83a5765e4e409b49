"""Session stores: in memory (the default) and Redis, one contract, one codec, one set of limits."""
