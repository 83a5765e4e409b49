"""`should-we-finetune decide`: files and stdin in, JSON/text/markdown out, exit 2 on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.recommendation import Recommendation
from bot.entrypoints.cli import main
from tests.support import paths

ROOT = paths.REPO_ROOT
EXAMPLES = ROOT / "examples"
DEV_08 = {
    "needs_external_knowledge": False,
    "requests_per_month": 150_000,
    "cost_per_request_usd": 0.02,
    "finetuned_cost_per_request_usd": 0.005,
    "finetune_fixed_cost_usd": 500,
    "finetune_hosting_usd_per_month": 0,
    "labelled_examples": 20_000,
    "team_ml_capability": "basic",
    "maintenance_capacity": "limited",
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["decide", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_output_is_a_valid_recommendation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json prints a Recommendation that validates, with the article's break-even."""
    code, out, err = run(
        [write(tmp_path, "r.json", json.dumps(DEV_08)), "--format", "json"], capsys
    )
    assert code == 0, err
    recommendation = Recommendation.model_validate_json(out)
    assert recommendation.approach == "fine_tuning"
    assert recommendation.break_even_requests == 33_333


def test_json_output_is_byte_identical_across_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two runs over the same file print the same bytes."""
    path = write(tmp_path, "r.json", json.dumps(DEV_08))
    first = run([path, "--format", "json"], capsys)[1]
    assert run([path, "--format", "json"], capsys)[1] == first


def test_yaml_input_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML files work as well as JSON."""
    yaml_text = "needs_external_knowledge: true\nkb_size_tokens: 9000000\n"
    code, out, _ = run([write(tmp_path, "r.yaml", yaml_text), "--format", "json"], capsys)
    assert code == 0
    assert Recommendation.model_validate_json(out).approach == "rag"


def test_stdin_is_read_for_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-` reads the requirements from standard input."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(DEV_08)))
    code, out, _ = run(["-", "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out)["approach"] == "fine_tuning"


def test_text_is_the_default_and_leads_with_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --format the output is text whose first line is the verdict."""
    code, out, _ = run([write(tmp_path, "r.json", json.dumps(DEV_08))], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith("Recommendation: Fine-tuning")


def test_markdown_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format markdown prints a heading and markdown tables."""
    code, out, _ = run(
        [write(tmp_path, "r.json", json.dumps(DEV_08)), "--format", "markdown"], capsys
    )
    assert code == 0
    assert out.startswith("## Recommendation: Fine-tuning")
    assert "| --- |" in out


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.*")), ids=lambda p: p.name)
def test_every_example_file_decides(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each shipped example file is valid and gets a recommendation."""
    code, out, err = run([str(example), "--format", "json"], capsys)
    assert code == 0, err
    Recommendation.model_validate_json(out)


def test_support_assistant_example_exists() -> None:
    """The README's quick demo file is present."""
    assert (EXAMPLES / "support-assistant.yaml").is_file()


BAD_INPUTS = [
    ("empty file", "", "empty"),
    ("only whitespace", "  \n", "empty"),
    ("malformed", "{not: [valid", "malformed"),
    ("a list, not a mapping", "[1, 2]", "mapping"),
    ("unknown key", '{"monthly_requests": 5}', "unknown field 'monthly_requests'"),
    ("wrong type", '{"kb_size_docs": "lots"}', "kb_size_docs"),
    ("negative number", '{"requests_per_month": -5}', "requests_per_month"),
    ("bad enum", '{"knowledge_volatility": "hourly"}', "knowledge_volatility"),
    ("bad boolean", "citations_required: maybe\n", "citations_required"),
    ("zero latency", '{"latency_target_ms": 0}', "latency_target_ms"),
]


@pytest.mark.parametrize(
    ("text", "needle"), [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_exits_2_with_one_line(
    text: str, needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input exits 2 with one line on stderr naming the problem, and nothing on stdout."""
    code, out, err = run([write(tmp_path, "bad.yaml", text)], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert needle in err


def test_bad_enum_lists_the_allowed_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value outside an enum names every allowed value."""
    _, _, err = run([write(tmp_path, "bad.json", '{"deployment_target": "mainframe"}')], capsys)
    assert "cloud_api, private_cloud, on_prem, edge_device" in err


def test_unknown_key_lists_the_allowed_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown key names the fields that are allowed."""
    _, _, err = run([write(tmp_path, "bad.json", '{"volume": 1}')], capsys)
    assert "requests_per_month" in err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist exits 2 with a message naming it."""
    code, _, err = run([str(tmp_path / "nope.yaml")], capsys)
    assert code == 2
    assert "nope.yaml" in err


def test_whole_process_bad_input_has_no_traceback(tmp_path: Path) -> None:
    """Run as a process, bad input exits 2 with no traceback."""
    path = write(tmp_path, "bad.json", '{"requests_per_month": -1}')
    result = subprocess.run(
        [sys.executable, "-m", "bot", "decide", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "requests_per_month" in result.stderr


def test_json_is_identical_across_processes_and_hash_seeds() -> None:
    """Separate processes with different hash seeds print byte-identical JSON."""
    example = str(EXAMPLES / "support-assistant.yaml")
    outputs = []
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "decide", example, "--format", "json"],
            capture_output=True,
            cwd=ROOT,
            check=True,
            timeout=60,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0]


def test_long_bad_value_is_shortened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A long rejected value is cut so the message stays one short line."""
    path = write(tmp_path, "bad.json", json.dumps({"use_case": "x" * 900}))
    code, _, err = run([path], capsys)
    assert code == 2
    assert "use_case" in err
    assert len(err) < 200


def test_contradictory_facts_exit_2_naming_both_fields(tmp_path: Path) -> None:
    """Air-gapped data on a cloud API is refused with one line naming both fields."""
    path = tmp_path / "facts.json"
    path.write_text('{"data_privacy": "air_gapped", "deployment_target": "cloud_api"}')
    completed = subprocess.run(
        [sys.executable, "-m", "bot", "decide", str(path)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "data_privacy" in completed.stderr and "deployment_target" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("dup.json", '{"labelled_examples": 5, "labelled_examples": 5000}', ""),
        (
            "dup.yaml",
            "labelled_examples: 5\nteam_ml_capability: basic\nlabelled_examples: 5000\n",
            " at line 3",
        ),
    ],
    ids=["json", "yaml"],
)
def test_duplicate_keys_exit_2_naming_the_key(
    name: str, text: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key given twice is refused (not resolved last-one-wins), naming the key."""
    code, out, err = run([write(tmp_path, name, text)], capsys)
    assert code == 2
    assert out == ""
    assert f"duplicate key 'labelled_examples'{where}" in err
    assert len(err.strip().splitlines()) == 1


def test_yaml_merge_keys_are_not_duplicates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A YAML `<<` merge overridden by an explicit key is not a duplicate."""
    text = "<<: {labelled_examples: 5, team_ml_capability: basic}\nlabelled_examples: 5000\n"
    code, out, err = run([write(tmp_path, "merge.yaml", text), "--format", "json"], capsys)
    assert code == 0, err
    assert Recommendation.model_validate_json(out).assumptions


def test_error_messages_escape_control_and_bidi_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown key carrying a terminal escape or a bidi override is printed escaped."""
    path = write(tmp_path, "bad.json", '{"volume\\u001b[2J\\u202e": 1}')
    code, _, err = run([path], capsys)
    assert code == 2
    assert "\x1b" not in err and "\u202e" not in err
    assert "volume\\x1b[2J\\u202e" in err


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_rendered_output_has_no_raw_control_characters(
    output_format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text and markdown output carry no raw control or bidi characters from the input."""
    facts = {**DEV_08, "use_case": "Invoices\u001b]0;pwned\u0007 \u202egnp.exe"}
    code, out, _ = run(
        [write(tmp_path, "r.json", json.dumps(facts)), "--format", output_format], capsys
    )
    assert code == 0
    assert not [ch for ch in out if not ch.isprintable() and ch != "\n"]


def test_adr_format_writes_the_decision_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--format adr` writes the same decision record the Slack export uploads."""
    code, out, _ = run([write(tmp_path, "r.json", json.dumps(DEV_08)), "--format", "adr"], capsys)
    assert code == 0
    assert out.startswith("# ADR: ")
    for section in ("## Context", "## Decision", "## Alternatives considered", "## Revisit"):
        assert section in out
