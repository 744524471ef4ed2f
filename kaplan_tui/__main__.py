"""Run Kaplan with `python -m kaplan_tui`."""

from kaplan_tui.cli import main

main()
