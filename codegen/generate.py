"""Generate ``twelvelabs_async/models`` from ``openapi/embed.yaml``.

Usage::

    python codegen/generate.py                 # rewrite twelvelabs_async/models/
    python codegen/generate.py --check         # exit 1 with a diff if models/ is stale
    python codegen/generate.py --output-dir D  # write (or check) D instead

datamodel-code-generator has no attrs output, so it runs with the dataclass output type
and ``templates/dataclass.jinja2``, which emits ``@attrs.define(kw_only=True)`` classes.
Field renames come from ``aliases.json``; the wire name of every renamed field is kept in
``attrs.field(metadata={"wire": ...})`` for the converter. The output is byte-for-byte
reproducible for a given spec, template and tool versions (pinned in pyproject.toml).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "embed.yaml"
ALIASES = ROOT / "codegen" / "aliases.json"
TEMPLATES = ROOT / "codegen" / "templates"
DEFAULT_OUT = ROOT / "twelvelabs_async" / "models"
BIN = Path(sys.executable).parent

MODULE = "_generated.py"
HEADER = (
    "# GENERATED from openapi/embed.yaml by codegen/generate.py. Do not edit: change the\n"
    "# spec, the template or the alias table, then run `make gen`."
)

CODEGEN_ARGS = [
    "--input-file-type=openapi",
    "--output-model-type=dataclasses.dataclass",
    "--target-python-version=3.11",
    "--output-datetime-class=datetime",
    "--disable-timestamp",
    "--use-subclass-enum",
    "--use-schema-description",
    "--use-field-description",
    "--use-standard-collections",
    "--use-union-operator",
    "--keyword-only",
    "--collapse-root-models",
    "--strict-nullable",
    "--enum-field-as-literal=one",
    "--use-one-literal-as-default",
    "--additional-imports=attrs",
    # Read by the template: other wire spellings of a field, and fields the official
    # description requires but the tolerant reader does not.
    "--field-extra-keys",
    "x-also-read",
    "x-described-required",
    "--formatters",
    "ruff-check",
    "ruff-format",
]


def _run_codegen(target: Path) -> None:
    """Run datamodel-code-generator on the spec, writing one module to ``target``."""
    cmd = [
        str(BIN / "datamodel-codegen"),
        f"--input={SPEC}",
        f"--output={target}",
        f"--aliases={ALIASES}",
        f"--custom-template-dir={TEMPLATES}",
        f"--custom-file-header={HEADER}",
        *CODEGEN_ARGS,
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if result.returncode != 0 or "Failed to format" in result.stderr:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"datamodel-codegen failed (exit {result.returncode})")


def _public_names(source: str) -> list[str]:
    """Names of the classes defined at the top level of the generated module."""
    tree = ast.parse(source)
    return sorted(node.name for node in tree.body if isinstance(node, ast.ClassDef))


def _init_source(names: list[str]) -> str:
    """The package ``__init__``: re-exports every generated class."""
    lines = [
        HEADER,
        '"""Wire models of the Twelve Labs Embed API, generated from openapi/embed.yaml.',
        "",
        "Attribute names follow the official SDK (``id`` for ``_id``, ``float_`` for ``float``,",
        "``base_64_string`` for ``base64_string``); the JSON name of a renamed attribute is in",
        '``attrs.fields(Cls).<name>.metadata["wire"]``. Enumerations are open: a field typed',
        "``SomeEnum | str`` holds the enum member for a known value, the plain string otherwise.",
        '"""',
        "",
        "from twelvelabs_async.models._generated import (",
        *(f"    {name}," for name in names),
        ")",
        "",
        "__all__ = [",
        *(f'    "{name}",' for name in names),
        "]",
        "",
    ]
    return "\n".join(lines)


def _format(paths: list[Path]) -> None:
    """Apply the project's ruff fixes and format, so the output passes `make lint`."""
    # The explicit config keeps a render into a temporary directory identical to models/.
    config = ["--config", str(ROOT / "pyproject.toml")]
    for args in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
        subprocess.run(
            [str(BIN / "ruff"), *args, *config, *map(str, paths)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


def render(out_dir: Path) -> None:
    """Write the generated package (``__init__.py`` and the models module) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    module = out_dir / MODULE
    _run_codegen(module)
    source = module.read_text(encoding="utf-8")
    init = out_dir / "__init__.py"
    init.write_text(_init_source(_public_names(source)), encoding="utf-8")
    _format([module, init])


def _files(directory: Path) -> dict[str, str]:
    if not directory.is_dir():
        return {}
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(directory.iterdir())
        if p.is_file() and p.suffix == ".py"
    }


def check(out_dir: Path) -> int:
    """Regenerate into a temporary directory and diff against ``out_dir``.

    Returns:
        0 when every file matches byte for byte, 1 otherwise (the diff goes to stdout).
    """
    with tempfile.TemporaryDirectory(prefix="tl-models-") as tmp:
        fresh_dir = Path(tmp) / "models"
        render(fresh_dir)
        fresh, current = _files(fresh_dir), _files(out_dir)
    diff: list[str] = []
    for name in sorted(fresh.keys() | current.keys()):
        diff.extend(
            difflib.unified_diff(
                current.get(name, "").splitlines(keepends=True),
                fresh.get(name, "").splitlines(keepends=True),
                fromfile=f"{out_dir.name}/{name} (on disk)",
                tofile=f"{out_dir.name}/{name} (generated)",
            )
        )
    if diff:
        sys.stdout.writelines(diff)
        print(
            f"\n{out_dir} is out of date with openapi/embed.yaml or was edited by hand; "
            "run `make gen` and commit the result.",
            file=sys.stderr,
        )
        return 1
    print(f"{out_dir}: up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="diff instead of writing")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUT, help="models package")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.output_dir)
    render(args.output_dir)
    for stale in set(_files(args.output_dir)) - {MODULE, "__init__.py"}:
        (args.output_dir / stale).unlink()
    print(f"wrote {args.output_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
