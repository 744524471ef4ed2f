"""Where Kaplan finds its bundled data and keeps the user's own (platformdirs).

``KAPLAN_DATA_DIR``, ``KAPLAN_CONFIG_DIR`` and ``KAPLAN_CACHE_DIR`` point tests (or a careful
admin) elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

_PACKAGE = Path(__file__).parent


def bundled(name: str) -> Path:
    """A folder shipped with Kaplan: ``themes`` or ``sample_workspace``.

    An installed wheel carries them inside the package (``_bundled/``); a source checkout or
    an editable install has them at the top of the repository.
    """
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Kaplan's bundled {name!r} folder is missing from this install")


def data_dir() -> Path:
    """The user's Kaplan data folder (the demo workspace lives here)."""
    override = os.environ.get("KAPLAN_DATA_DIR")
    return Path(override) if override else user_data_path("kaplan", appauthor=False)


def config_dir() -> Path:
    """The user's Kaplan config folder (user themes live in ``themes/`` under it)."""
    override = os.environ.get("KAPLAN_CONFIG_DIR")
    return Path(override) if override else user_config_path("kaplan", appauthor=False)


def cache_dir() -> Path:
    """The user's Kaplan cache folder: things Kaplan can always make again (parsed catalogues)."""
    override = os.environ.get("KAPLAN_CACHE_DIR")
    return Path(override) if override else user_cache_path("kaplan", appauthor=False)
