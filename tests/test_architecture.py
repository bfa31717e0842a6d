"""The map in docs/architecture.md, checked: imports go one way, only the store's owners write the
crawl state, the crawl never imports the operator's tools, and no module grows past one concern."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sdcrawl"
MAX_LINES = 450

#: State methods that write, and the modules allowed to call them.
STATE_WRITES = {"record_stored", "record_rejected", "add_alias", "record_failed", "forget_failed", "set_meta",
                "start_run", "finish_run", "record_run_site"}
# (queue mode's store stage and single feed writer own the database the same way)
STATE_OWNERS = {"sdcrawl.pipelines.store", "sdcrawl.reclassify", "sdcrawl.scale.pipeline", "sdcrawl.scale.coordinator"}
#: Parts of the crawl itself: none may import the operator's tools or the CLI.
CRAWL = ("sdcrawl.spiders", "sdcrawl.pipelines", "sdcrawl.extract", "sdcrawl.classify", "sdcrawl.store",
         "sdcrawl.faults", "sdcrawl.sources", "sdcrawl.runner", "sdcrawl.nightly", "sdcrawl.monitors")


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def test_no_import_circle_in_the_package():
    g = graph()
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(g.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node, [node])
    assert cycles == [], "import circles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_only_the_stores_owners_write_the_crawl_state():
    offenders = []
    for name, path in modules().items():
        if name.startswith("sdcrawl.store") or name in STATE_OWNERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STATE_WRITES:
                offenders.append(f"{name}:{node.lineno} {node.func.attr}")
    assert offenders == []


def test_the_crawl_never_imports_the_tools_or_the_cli():
    g = graph()
    bad = [f"{m} imports {t}" for m, targets in g.items() if m.startswith(CRAWL)
           for t in targets if t.startswith(("sdcrawl.tools", "sdcrawl.cli"))]
    assert bad == []


def test_no_module_is_over_its_size():
    long = [f"{name} ({n} lines)" for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []
