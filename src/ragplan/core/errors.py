"""The one exception family: work that cannot go on, with an exit code and a hint."""

from __future__ import annotations


class RagplanError(Exception):
    """Raised when a command cannot do its work; cli.py prints it and exits."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(RagplanError):
    """The input could not be used: a missing folder, a bad argument, an unknown revision."""


class GitError(RagplanError):
    """git is missing, the folder is not a repository, or a revision does not exist."""


class InvalidPlan(RagplanError):
    """A plan file has structure errors: `listing` names each one, worded already."""

    def __init__(self, listing: str) -> None:
        super().__init__("the plan has structure errors", None)
        self.listing = listing
