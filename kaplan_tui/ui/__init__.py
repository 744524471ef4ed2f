"""Kaplan's Textual user interface: it renders and routes; the core computes."""
