"""`make bench`: the SPEC 6 figures, each beside its reference point, measured in one run.

Generates 150 plans x ~67 actions = 10,000 action files (about 0.7 KB, three updates
each) with a history of 1,000 commits in a temporary folder, then times the real
`ragplan` command (best of three runs) and its reference points on the same files.
"""

from __future__ import annotations

import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
TODAY = "2024-09-01"


def timed(
    argv: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    repeat: int = 3,
    setup: object = None,
) -> tuple[float, int]:
    """Best wall time of `repeat` runs, and the peak memory (KiB) of the children so far."""
    best = float("inf")
    for _ in range(repeat):
        if callable(setup):
            setup()
        start = time.perf_counter()
        subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
    return best, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def read_all(files: list[str]) -> None:
    for name in files:
        with open(name, "rb") as handle:
            handle.read()


def compose_all(files: list[str]) -> None:
    import yaml

    for name in files:
        with open(name, "rb") as handle:
            yaml.compose(handle.read(), Loader=yaml.CSafeLoader)


def in_process(fn: object, files: list[str]) -> float:
    start = time.perf_counter()
    fn(files)  # type: ignore[operator]
    return time.perf_counter() - start


def row(work: str, seconds: float, limit: str, reference: str) -> None:
    print(f"| {work} | {seconds:.2f} s | {limit} | {reference} |")


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="ragplan-bench-"))
    try:
        print(f"generating 10,000 actions and 1,000 commits in {root} ...", flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(root), "--commits", "1000"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        files = sorted(glob.glob(str(root / "plans" / "*" / "actions" / "*.yaml")))
        ragplan = str(BIN / "ragplan")
        cache = root / ".ragplan_cache"
        env = {**os.environ, "RAGPLAN_TODAY": TODAY, "NO_COLOR": "1"}
        cold_env = {**env, "RAGPLAN_NO_CACHE": "1"}

        def clear() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        read_s = in_process(read_all, files)
        compose_s = in_process(compose_all, files)
        schema = root / "minimal.schema.json"
        schema.write_text('{"type": "object"}')
        jsonschema_s = float("nan")
        if shutil.which("check-jsonschema", path=str(BIN)):
            jsonschema_s, _ = timed(
                [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *files], root, repeat=1
            )
        print(f"\n{len(files)} action files; reference points measured now:")
        print(
            f"reading the files {read_s:.2f} s; PyYAML C compose {compose_s:.2f} s; "
            f"check-jsonschema (minimal schema) {jsonschema_s:.2f} s\n"
        )
        print("| work | ragplan | SPEC 6 MUST | reference point |")
        print("| --- | ---: | --- | --- |")
        results = {}
        for command in ("validate", "check", "status"):
            argv = [ragplan, command, "plans"]
            if command == "status":
                argv += ["--format", "json"]
            results[command], _ = timed(argv, root, cold_env)
            row(
                f"`{command}` cold (no cache)",
                results[command],
                f"<= 3 s and <= {0.3 * jsonschema_s:.2f} s (0.3 x check-jsonschema)",
                f"check-jsonschema {jsonschema_s:.2f} s, C compose {compose_s:.2f} s",
            )
        timed([ragplan, "check", "plans"], root, env, repeat=1, setup=clear)  # fill the cache
        for command in ("validate", "check", "status"):
            warm, _ = timed([ragplan, command, "plans"], root, env)
            row(f"`{command}` second run (cache)", warm, "<= 0.5 s", f"reading {read_s:.2f} s")
        since, _ = timed([ragplan, "check", "plans", "--since", "HEAD~999"], root, env)
        plain, _ = timed([ragplan, "check", "plans"], root, env)
        row(
            "`check --since HEAD~999`",
            since,
            f"<= {2 * plain:.2f} s (2 x check)",
            f"plain check {plain:.2f} s",
        )
        _, peak = timed(
            [ragplan, "check", "plans", "--since", "HEAD~999"], root, cold_env, repeat=1
        )
        print(f"\npeak memory of any run: {peak / 1024:.0f} MB (SPEC 6: <= 500 MB)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
