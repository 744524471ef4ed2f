"""Kaplan's pure domain: models and the computations over them. No Textual, no file IO."""
