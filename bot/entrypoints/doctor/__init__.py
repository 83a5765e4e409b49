"""`should-we-finetune doctor`: configuration and reachability checks, each with its fix."""
