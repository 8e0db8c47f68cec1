"""Participatory budget (issue 11). For now only the pure voting and tally core, tally.py,
which the platform and the standalone tools/budget_tally.py share; not an installed app yet."""
