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

    def plan_files(self, sha: str, folders: list[Path]) -> dict[Path, bytes | None]:
        """The YAML files of these plan folders at a commit, keyed by their work-tree path.

        One `ls-tree` and one `cat-file --batch` for all the folders, however many. A
        symbolic link is followed inside the commit's tree; one that leads out of the
        repository maps to None (SPEC 1: named, never read), a dangling one is left out.
        """
        prefixes = {self.relative(folder): folder for folder in folders}
        pathspecs = [prefix or "." for prefix in prefixes]
        listing = self._run("ls-tree", "-r", "-z", "--full-tree", sha, "--", *pathspecs).stdout
        wanted: list[tuple[str, Path]] = []
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, name = entry.decode("utf-8", "surrogateescape").split("\t", 1)
            mode, kind, blob = meta.split()
            if kind != "blob" or not name.endswith(_SUFFIXES) or "\n" in name:
                continue
            head, _, file = name.rpartition("/")
            parent, _, sub = head.rpartition("/")
            if file == "plan.yaml" and head in prefixes:
                path = prefixes[head] / file
            elif sub in ("actions", "snapshots") and parent in prefixes:
                path = prefixes[parent] / sub / file
            else:
                continue
            wanted.append((f"{sha}:{name}" if mode == "120000" else blob, path))
        if not wanted:
            return {}
        names = "".join(f"{request}\n" for request, _ in wanted).encode("utf-8", "surrogateescape")
        batch = self._run("cat-file", "--batch", "--follow-symlinks", stdin=names).stdout
        files: dict[Path, bytes | None] = {}
        offset = 0
        for _request, path in wanted:
            header_end = batch.index(b"\n", offset)
            header = batch[offset:header_end].split()
            offset = header_end + 1
            if header[-1] == b"missing":
                continue
            size = int(header[-1])
            content = batch[offset : offset + size]
            offset += size + 1
            if len(header) == 3 and header[1] == b"blob":
                files[path] = content
            elif header[0] == b"symlink":  # leads out of the repository
                files[path] = None
        return files
