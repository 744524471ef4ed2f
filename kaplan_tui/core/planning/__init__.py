"""The planning engine: account scoring and tiers, segments, roll-ups across horizons, plan
checks and review math.

Pure functions over a :class:`~kaplan_tui.core.snapshot.Snapshot` returning plain dataclasses,
so the TUI, the CLI and the briefs show the same answers without computing anything themselves.
"""
