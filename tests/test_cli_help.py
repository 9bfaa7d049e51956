"""Every command documents itself with an example, as the README promises."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flows.cli import main as cli

# Every command registered on the group, so a command added later is checked too.
COMMANDS = [[], *([name] for name in sorted(cli.commands))]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "baocao")
def test_every_command_help_has_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_the_documented_commands_exist() -> None:
    assert {"extract", "ingest", "facts", "runs"} <= set(cli.commands)
