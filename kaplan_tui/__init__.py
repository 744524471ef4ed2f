"""Kaplan: a keyboard-driven terminal workspace for planning key-account sales targets."""

__version__ = "0.1.0"
