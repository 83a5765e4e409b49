"""`should-we-finetune chat`: the interview in a terminal, and how a reply looks there."""
