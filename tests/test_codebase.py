"""The codebase's own promises: every public function, class and method under scripts/ says what it
does in a docstring (a method overriding a documented base method inherits its docstring, as pydoc
shows it)."""
from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SCRIPTS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _undocumented(path: Path) -> list[tuple[str, int]]:
    """(qualified name, line) of each public def or class in the file without a docstring of its own."""
    out: list[tuple[str, int]] = []

    def walk(node, prefix: str) -> None:
        for n in ast.iter_child_nodes(node):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not n.name.startswith("_"):
                if not ast.get_docstring(n):
                    out.append((prefix + n.name, n.lineno))
                if isinstance(n, ast.ClassDef):
                    walk(n, f"{prefix}{n.name}.")
    walk(ast.parse(path.read_text(encoding="utf-8")), "")
    return out


def _inherits_a_docstring(module: str, qualname: str) -> bool:
    """A method whose base class documents the same name (Type.check, Type.doc …)."""
    if "." not in qualname:
        return False
    owner, name = qualname.rsplit(".", 1)
    cls = importlib.import_module(module)
    for part in owner.split("."):
        cls = getattr(cls, part)
    return any(name in vars(base) and inspect.getdoc(vars(base)[name]) for base in cls.__mro__[1:])


def test_every_public_function_and_class_has_a_docstring():
    missing = [f"{path.relative_to(SCRIPTS.parent)}:{line} {name}"
               for path in sorted(SCRIPTS.rglob("*.py"))
               for name, line in _undocumented(path)
               if not _inherits_a_docstring(_module_name(path), name)]
    assert not missing, "public names without a docstring:\n" + "\n".join(missing)


def test_the_check_sees_a_missing_docstring(tmp_path):
    f = tmp_path / "m.py"
    f.write_text('def shown():\n    return 1\n\n\ndef _private():\n    return 2\n\n\nclass K:\n    """Doc."""\n\n'
                 '    def method(self):\n        pass\n', encoding="utf-8")
    assert _undocumented(f) == [("shown", 1), ("K.method", 12)]
