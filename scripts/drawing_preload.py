"""Imported once by the process that forks the figure-drawing workers (multiprocessing's forkserver):
matplotlib and the figure font are loaded there, so every worker starts with them instead of each
paying for them again."""
from __future__ import annotations

from . import figures

figures.warm_up()
