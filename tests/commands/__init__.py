"""Commands that compare with a base: --since, diff, history, snapshot."""
