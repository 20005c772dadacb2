"""The CLI reference (docs/cli.md), generated from the click commands:
`python -m tracker.cli.reference > docs/cli.md`. tests/test_docs.py checks it is current."""

from __future__ import annotations

import click

from tracker.cli import COMMANDS, load_command, main

HEADER = """# CLI reference

Generated from the click commands by `python -m tracker.cli.reference > docs/cli.md`; do not
edit by hand (tests/test_docs.py fails when it is out of date). Every command also answers
`--help`.
"""


def _section(command: click.Command, path: list[str], depth: int) -> list[str]:
    ctx = click.Context(command, info_name=" ".join(path))
    usage = command.get_usage(ctx).removeprefix("Usage: ")
    lines = ["", f"{'#' * min(depth, 4)} `{' '.join(path)}`", "", "```", usage, "```"]
    if command.help:
        lines += ["", click.unstyle(command.help).strip()]
    params = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
    if params:
        lines += [""]
        for param in params:
            record = param.get_help_record(ctx)
            if record:
                lines.append(f"- `{record[0]}`: {record[1]}".rstrip(": "))
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is not None:
                lines += _section(sub, [*path, name], depth + 1)
    return lines


def render() -> str:
    lines = [HEADER.rstrip("\n")]
    ctx = click.Context(main, info_name="tracker")
    lines += ["", "```", main.get_usage(ctx).removeprefix("Usage: "), "```"]
    for name in sorted(COMMANDS):
        lines += _section(load_command(name), ["tracker", name], 2)
    return "\n".join(lines) + "\n"


def command_paths() -> list[str]:
    """Every command and subcommand, as `tracker a b`."""
    found: list[str] = []

    def walk(command: click.Command, path: list[str]) -> None:
        found.append(" ".join(path))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, [*path, name])

    for name in sorted(COMMANDS):
        walk(load_command(name), ["tracker", name])
    return found


if __name__ == "__main__":
    click.echo(render(), nl=False)
