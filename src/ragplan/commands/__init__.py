"""One function per command: plain arguments in, an Outcome (what to print, the exit
code) out. No Typer here: the cli package parses the command line and prints."""
