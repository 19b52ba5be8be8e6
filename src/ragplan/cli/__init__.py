"""The `ragplan` command: parse arguments, call the core, print, exit (SPEC 2).

One module per command family. The console entry point is `launch.main`, which answers
a repeated run before the command layer loads; `commands` holds the Typer app with
every command registered, and its entry point. This package imports nothing itself, so
that `launch` loads without Typer.
"""
