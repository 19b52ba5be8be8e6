"""`ragplan schema`: draft-07 JSON Schema that agrees with `ragplan validate` on every file.

The corpus in tests/data/corpus/ holds valid and invalid files of each kind (names
start ok- or bad-), and the bundled plan's files are checked too. YAML-level rules
(anchors, aliases, tags, duplicate keys, encoding, size, nesting) are beyond what a
schema can see after a YAML loader has run; tests/test_validate.py covers them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.helpers import DATA, ROOT

REPO = ROOT
CORPUS = DATA / "corpus"
FILES = sorted(CORPUS.glob("*/*.yaml"))
BUNDLED = sorted((REPO / "plans" / "ofsted-2014").glob("**/*.yaml"))


def kind_of(path: Path) -> str:
    if path.name == "plan.yaml" or path.parent.name == "plan":
        return "plan"
    if path.parent.name in ("risk", "risks"):
        return "risk"
    return "snapshot" if path.parent.name in ("snapshot", "snapshots") else "action"


def schema_verdict(run_cli, path: Path) -> bool:
    schema = json.loads(run_cli("schema", kind_of(path)).stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    # BaseLoader keeps every scalar as the text written, as ragplan reads it
    document = yaml.load(path.read_bytes(), Loader=yaml.BaseLoader)
    return jsonschema.Draft7Validator(schema).is_valid(document)


def validate_verdict(run_cli, tmp_path: Path, path: Path) -> bool:
    folder = tmp_path / "one"
    (folder / "actions").mkdir(parents=True)
    kind = kind_of(path)
    if kind == "plan":
        shutil.copy(path, folder / "plan.yaml")
    else:
        (folder / "plan.yaml").write_text("title: T\n")
        target = folder / {"action": "actions", "snapshot": "snapshots", "risk": "risks"}[kind]
        target.mkdir(exist_ok=True)
        shutil.copy(path, target / path.name)
    result = run_cli("validate", str(folder))
    assert result.exit_code in (0, 2), result.stderr
    return result.exit_code == 0


@pytest.mark.parametrize("path", FILES + BUNDLED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_agrees_with_validate(run_cli, tmp_path, path):
    expected = validate_verdict(run_cli, tmp_path, path)
    if path in FILES:
        assert expected is path.name.startswith("ok-"), "the corpus file's name is its verdict"
    assert schema_verdict(run_cli, path) is expected


def test_schema_is_draft_07_and_accepts_any_case_ratings(run_cli):
    schema = json.loads(run_cli("schema").stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    validator = jsonschema.Draft7Validator(schema)
    base = {"ref": "A1", "title": "T", "lead": "K", "deadline": "2025-03"}
    assert validator.is_valid({**base, "rag": "BLUE"})
    assert not validator.is_valid({**base, "rag": "purple"})
    assert not validator.is_valid({**base, "rag": "blue", "dealine": "2025-01-01"})


def test_schema_follows_the_plan_scale(run_cli, make_plan):
    make_plan(plan="title: T\nrag_scale:\n  - key: done\n    complete: true\n  - key: todo\n")
    schema = json.loads(run_cli("schema", "action", "--plan", "plan").stdout)
    validator = jsonschema.Draft7Validator(schema)
    base = {"ref": "A1", "title": "T", "lead": "K", "deadline": "2025-03"}
    assert validator.is_valid({**base, "rag": "Done"})
    assert not validator.is_valid({**base, "rag": "red"})


def test_bad_kind(run_cli):
    result = run_cli("schema", "board")
    assert result.exit_code == 2
    assert "Error: Invalid value for 'kind'" in result.stderr
