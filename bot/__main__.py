"""`python -m bot` runs the `medbot` command line."""

from bot.cli import run

run()
