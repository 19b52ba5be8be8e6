"""git -> plan files at a revision: the only module that runs git.

Every user-given revision is resolved with `rev-parse --verify --end-of-options` to
a commit hash first, so no user string ever reaches git as an option; later calls
get only the hash. Files are read from git objects (ls-tree, cat-file --batch):
no checkout, no temporary work tree.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from .errors import GitError

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_SUFFIXES = (".yaml", ".yml")


def is_iso_day(text: str) -> bool:
    return _ISO_DAY.match(text) is not None


class Repository:
    """A git work tree, found from a folder inside it."""

    def __init__(self, inside: Path) -> None:
        folder = inside if inside.is_dir() else inside.parent
        self.cwd = folder
        result = self._run("rev-parse", "--show-toplevel", check=False)
        if result.returncode != 0:
            raise GitError(
                f"{inside} is not inside a git repository, so --since cannot name a git revision",
                "name a snapshot instead, or run ragplan inside the plan's repository",
            )
        self.root = Path(result.stdout.decode().strip())

    def _run(
        self, *args: str, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            result = subprocess.run(
                ["git", *args], cwd=self.cwd, input=stdin, capture_output=True, check=False
            )
        except FileNotFoundError:
            raise GitError(
                "git is not installed, so --since cannot read history",
                "install git, or name a snapshot instead",
            ) from None
        if check and result.returncode != 0:
            raise GitError(
                f"git {args[0]} failed: {result.stderr.decode(errors='replace').strip()}"
            )
        return result

    def resolve(self, revision: str) -> str:
        """The commit hash a tag, branch, commit or expression names."""
        if not revision or revision.startswith("-") or "\0" in revision:
            raise GitError(
                f"--since {revision!r} is not a revision",
                "name a tag, branch, commit, snapshot or date (YYYY-MM-DD)",
            )
        result = self._run(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{revision}^{{commit}}",
            check=False,
        )
        if result.returncode != 0:
            raise GitError(
                f"--since {revision!r}: no such revision in this repository",
                "name a tag, branch, commit, snapshot or date (YYYY-MM-DD); for "
                "origin/main, fetch it first",
            )
        return result.stdout.decode().strip()

    def commit_at_or_before(self, day: date) -> str:
        """The last commit on HEAD's history made at or before the end of that day."""
        result = self._run(
            "rev-list", "-1", f"--before={day.isoformat()}T23:59:59", "HEAD", check=False
        )
        sha = result.stdout.decode().strip()
        if result.returncode != 0 or not sha:
            raise GitError(
                f"--since {day.isoformat()}: no commit at or before that date",
                "give a later date, or a snapshot name",
            )
        return sha

    def commit_date(self, sha: str) -> date:
        out = self._run("show", "-s", "--format=%cI", sha).stdout.decode().strip()
        return date.fromisoformat(out[:10])

    def relative(self, path: Path) -> str:
        """`path` relative to the work tree's top, as git names it."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def plan_files(self, sha: str, folders: list[Path]) -> dict[Path, bytes]:
        """The YAML files of these plan folders at a commit, keyed by their work-tree path.

        One `ls-tree` and one `cat-file --batch` for all the folders, however many.
        """
        prefixes = {self.relative(folder): folder for folder in folders}
        pathspecs = [prefix or "." for prefix in prefixes]
        listing = self._run("ls-tree", "-r", "-z", "--full-tree", sha, "--", *pathspecs).stdout
        wanted: list[tuple[str, Path]] = []
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, name = entry.decode("utf-8", "surrogateescape").split("\t", 1)
            _mode, kind, blob = meta.split()
            if kind != "blob" or not name.endswith(_SUFFIXES):
                continue
            head, _, file = name.rpartition("/")
            parent, _, sub = head.rpartition("/")
            if file == "plan.yaml" and head in prefixes:
                wanted.append((blob, prefixes[head] / file))
            elif sub in ("actions", "snapshots") and parent in prefixes:
                wanted.append((blob, prefixes[parent] / sub / file))
        if not wanted:
            return {}
        names = "".join(f"{blob}\n" for blob, _ in wanted).encode()
        batch = self._run("cat-file", "--batch", stdin=names).stdout
        files: dict[Path, bytes] = {}
        offset = 0
        for _blob, path in wanted:
            header_end = batch.index(b"\n", offset)
            size = int(batch[offset:header_end].split()[2])
            start = header_end + 1
            files[path] = batch[start : start + size]
            offset = start + size + 1
        return files
