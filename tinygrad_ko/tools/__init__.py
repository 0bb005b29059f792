"""Command-line helpers for tinygrad_ko."""
