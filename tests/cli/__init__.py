"""The command line as a pull request author would attack it, and bad input of every kind."""
