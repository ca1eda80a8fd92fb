"""The outside world never causes a traceback: any bytes in arguments, on stdin and in files;
standard output closed, full or a closed pipe; standard input closed. Run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "fixtures" / "mini"
ENV = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""}
ADVISOR = [sys.executable, "-m", "advisor"]


def shell(script: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """Run a bash script where `$ADVISOR` is the command, with `stdin` as input."""
    command = " ".join(f"'{part}'" for part in ADVISOR)
    return subprocess.run(["bash", "-c", script.replace("$ADVISOR", command)], input=stdin, capture_output=True, env=ENV, timeout=120)


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "Exception ignored" not in err, err
    return err


def test_bytes_that_are_not_utf8_in_an_argument_are_read_as_replacement_characters() -> None:
    result = subprocess.run([*ADVISOR, "ask", b"grafana \xff\xfe"], capture_output=True, env=ENV, timeout=60)
    no_traceback(result)
    assert result.returncode == 0
    unknown = subprocess.run([*ADVISOR, "explain", b"\xff"], capture_output=True, env=ENV, timeout=60)
    assert unknown.returncode == 2 and "unknown concept" in no_traceback(unknown)


def test_quiz_with_standard_input_closed_is_a_usage_error() -> None:
    result = shell("$ADVISOR quiz <&-")
    assert result.returncode == 2 and "standard input is closed" in no_traceback(result)


def test_quiz_reads_bytes_that_are_not_utf8_as_an_answer_it_does_not_know() -> None:
    result = shell("$ADVISOR quiz --kb " + str(MINI), stdin=b"\xff\n")
    no_traceback(result)
    assert result.returncode == 0 and b"Please answer" in result.stdout and b"No answer given" in result.stdout


def test_a_full_standard_output_exits_1_with_one_line() -> None:
    result = shell("$ADVISOR ask x >/dev/full")
    err = no_traceback(result)
    assert result.returncode == 1 and "cannot write the output" in err and err.count("\n") == 1


def test_a_closed_standard_output_exits_1_with_one_line() -> None:
    result = shell("$ADVISOR ask x >&-")
    err = no_traceback(result)
    assert result.returncode == 1 and "standard output is closed" in err
    # Commands that write their output to a file do not need standard output.
    export = shell(f"$ADVISOR export --kb {MINI} --out /dev/null >&-")
    assert export.returncode == 0, no_traceback(export)


@pytest.mark.parametrize("args", [["ask", "grafana mongodb"], ["export", "--out", "-"], ["compare", "--table", "summary"]])
def test_a_reader_that_goes_away_is_no_error_to_report(args: list[str]) -> None:
    process = subprocess.Popen([*ADVISOR, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command writes: its first write meets a closed pipe
    err = process.stderr.read().decode("utf-8", "replace")
    process.wait(timeout=60)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert process.returncode == 1 and err == ""


def test_head_reading_one_line_gives_a_clean_pipeline() -> None:
    result = shell("set -o pipefail; $ADVISOR export --out - | head -c 1 >/dev/null; echo \"status ${PIPESTATUS[0]}\"")
    no_traceback(result)
    assert result.stdout.decode().strip() in ("status 0", "status 1")


def test_ask_dash_reads_the_question_from_standard_input(tmp_path: Path) -> None:
    question = tmp_path / "question.txt"
    question.write_bytes(b"I am tired\nat the \xff office\n")
    result = shell(f"$ADVISOR ask --kb {MINI} - < {question}")
    no_traceback(result)
    assert result.returncode == 0 and b"Recommended: Coffee" in result.stdout
    same = subprocess.run([*ADVISOR, "ask", "--kb", str(MINI), "I am tired at the office"], capture_output=True, env=ENV, timeout=60)
    assert same.stdout.split(b"\n\n", 1)[1] == result.stdout.split(b"\n\n", 1)[1]


def test_ask_dash_with_standard_input_closed_is_a_usage_error() -> None:
    result = shell("$ADVISOR ask - <&-")
    assert result.returncode == 2 and "standard input is closed" in no_traceback(result)


def test_an_interrupted_quiz_exits_130_without_a_traceback() -> None:
    import signal

    process = subprocess.Popen([*ADVISOR, "quiz"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and b"Traceback" not in err
