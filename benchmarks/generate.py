"""Write a synthetic repository of plans for the SPEC 6 benchmarks.

150 plans x ~67 actions = 10,000 action files of about 0.7 KB with three
updates each; with --commits N, a git history of N commits that edit them.
--realistic writes the files as people do (SPEC 6's second corpus): a comment line
at the top, a folded `>` outcome, a literal `|` note, quoted strings, and some files
with CRLF line ends or a byte order mark.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
from datetime import date, timedelta
from pathlib import Path

RAGS = ("blue", "green", "amber", "red")
THEMES = ("Leadership and governance", "Quality of practice", "Looked after children", "Early help")
LEADS = ("Kerry Mehta", "Lana Shannon", "Karen Dolton", "Heather Johns", "Julie Heslop")


def action_text(plan_no: int, n: int, rng: random.Random) -> str:
    rag = rng.choice(RAGS)
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(200))
    updates = "".join(
        f"  - date: {start + timedelta(days=30 * (k + 1))}\n"
        f"    note: Progress reviewed at the monthly board; caseload audit {k + 1} completed and\n"
        f"      findings shared with team managers for action.\n"
        for k in range(3)
    )
    completed = f"completed: {start + timedelta(days=120)}\n" if rag == "blue" else ""
    return (
        f"ref: {n}{'abc'[n % 3]}\n"
        f"title: Strengthen management oversight of casework in area {plan_no} item {n}\n"
        f"theme: {THEMES[n % len(THEMES)]}\n"
        f"source: Inspection recommendation {n % 12 + 1}\n"
        f"lead: {rng.choice(LEADS)}\n"
        f"strategic_lead: Geoff Little\n"
        f"start: {start}\n"
        f"deadline: {start + timedelta(days=240)}\n"
        f"rag: {rag}\n{completed}"
        f"outcome: Staff have manageable caseloads and receive regular supervision.\n"
        f"evidence:\n  - Audit report\n"
        f"updates:\n{updates}"
    )


def realistic_text(plan_no: int, n: int, rng: random.Random) -> bytes:
    """action_text as people write it: comments, block scalars, quotes, CRLF, a BOM."""
    plain = action_text(plan_no, n, rng)
    lines = []
    for line in plain.splitlines():
        if line.startswith("title: "):
            line = f'title: "{line[7:]}"'
        elif line.startswith("outcome: "):
            line = f"outcome: >\n  {line[9:]}\n  Audits show good practice."
        elif line.startswith("source: "):
            line = f"source: '{line[8:]}'"
        lines.append(line)
    text = f"# Action {n} of plan {plan_no}: kept by the programme office\n" + "\n".join(lines)
    text += (
        "\n  - date: 2024-08-20\n    note: |\n"
        "      Board agreed the plan.\n      Next review in September.\n"
    )
    kind = rng.random()
    data = text.replace("\n", "\r\n") if kind < 0.1 else text
    encoded = data.encode("utf-8")
    return b"\xef\xbb\xbf" + encoded if 0.1 <= kind < 0.15 else encoded


def generate(root: Path, plans: int, actions: int, seed: int, realistic: bool = False) -> int:
    rng = random.Random(seed)
    count = 0
    for p in range(plans):
        folder = root / "plans" / f"council-{p:03d}"
        (folder / "actions").mkdir(parents=True, exist_ok=True)
        (folder / "plan.yaml").write_text(f"title: Improvement plan {p}\nstart: 2024-01-01\n")
        per_plan = actions // plans + (1 if p < actions % plans else 0)
        for n in range(per_plan):
            target = folder / "actions" / f"{n:03d}.yaml"
            if realistic:
                target.write_bytes(realistic_text(p, n, rng))
            else:
                target.write_text(action_text(p, n, rng))
            count += 1
    return count


def make_history(root: Path, commits: int, seed: int) -> None:
    """Commit the plans, then N commits each editing one action of plan 0."""
    rng = random.Random(seed)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "b@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "b@example.org",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "plans")
    target = root / "plans" / "council-000" / "actions" / "000.yaml"
    base = target.read_text()
    for k in range(commits - 1):
        rag = rng.choice(RAGS)
        lines = [
            f"rag: {rag}\n" if line.startswith("rag: ") else line
            for line in base.splitlines(keepends=True)
        ]
        target.write_text(f"# board {k}\n" + "".join(lines))
        git("commit", "-q", "-am", f"board {k}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--plans", type=int, default=150)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--realistic", action="store_true", help="SPEC 6's second corpus")
    args = parser.parse_args()
    n = generate(args.root, args.plans, args.actions, args.seed, args.realistic)
    if args.commits:
        make_history(args.root, args.commits, args.seed)
    print(f"wrote {n} action files under {args.root}/plans")


if __name__ == "__main__":
    main()
