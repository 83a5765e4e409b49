"""should-we-finetune: decide between prompting, RAG, fine-tuning or a hybrid."""

__version__ = "0.1.0"
