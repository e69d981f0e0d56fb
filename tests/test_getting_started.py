"""A newcomer's first ten minutes: `make run` on a free port, and a test run that says what it left out."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# Runs the browser tests as if Chromium were not installed.
WITHOUT_CHROMIUM = """
import sys
from pathlib import Path
import pytest

class WithoutChromium:
    def pytest_collection_finish(self, session):
        import tests.conftest
        tests.conftest.CHROMIUM = Path("/nonexistent/chromium")

arguments = ["-p", "no:cacheprovider", "-q", "tests/test_browser.py::test_keyboard_focus_is_visible"]
sys.exit(pytest.main(arguments, plugins=[WithoutChromium()]))
"""


def make_dry_run(*arguments):
    result = subprocess.run(
        ["make", "--dry-run", *arguments], cwd=PROJECT, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout


def test_make_run_serves_on_port_8000_unless_told_otherwise():
    assert "manage.py runserver 127.0.0.1:8000" in make_dry_run("run")
    assert "manage.py runserver 127.0.0.1:8001" in make_dry_run("run", "PORT=8001")


def test_a_test_run_without_chromium_ends_by_saying_the_browser_tests_were_skipped_and_how_to_fix_it():
    environment = {name: value for name, value in os.environ.items() if name != "CI"}
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_CHROMIUM],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "BROWSER TESTS SKIPPED (2): /nonexistent/chromium not found; install it with: apt-get install -y chromium"
        in result.stdout.splitlines()
    )


def test_the_readme_says_how_to_install_chromium_for_the_browser_tests():
    getting_started = (PROJECT / "README.md").read_text().split("## Getting started", 1)[1].split("\n## ", 1)[0]
    assert "apt-get install -y chromium" in getting_started
    assert "make run PORT=8001" in getting_started
