"""The Claude extractor: the forced tool call, its cached prompt prefix, and the cache rules."""
