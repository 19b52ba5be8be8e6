"""The `ragplan` command: parse arguments, call the core, print, exit (SPEC 2).

One module per command family. The console entry point is `entry.main`, which answers
a repeated run before the command layer loads; `commands` holds the Typer app with
every command registered. This package imports nothing itself, so that `entry` loads
without Typer.
"""
