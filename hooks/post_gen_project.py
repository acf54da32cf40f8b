"""Remove what the chosen options do not use, as the feature manifest says."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

# Every answer arrives as JSON data, so quotes or newlines in it cannot run as code.
ANSWERS = json.loads({{ cookiecutter | tojson | tojson }})
TEMPLATE_DIR = Path({{ template_dir() | tojson }})
sys.path.insert(0, str(TEMPLATE_DIR))

from hooks.manifest import cut_markdown_sections, load, split  # noqa: E402


def remove_unchosen_files(project: Path, manifest: dict) -> None:
    _, removed = split(manifest, ANSWERS, "paths")
    for relative in removed:
        path = project / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        # A folder that held only unchosen files (deploy/ without PostgreSQL) goes too.
        for parent in path.parents:
            if parent == project or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()


def remove_unchosen_readme_sections(project: Path, manifest: dict) -> None:
    readme = project / "README.md"
    _, removed = split(manifest, ANSWERS, "readme_sections")
    readme.write_text(cut_markdown_sections(readme.read_text(encoding="utf-8"), removed), encoding="utf-8")


#: cookiecutter's abbreviations for template addresses, spelled out for git.
ABBREVIATIONS = {"gh": "https://github.com/{}.git", "gl": "https://gitlab.com/{}.git", "bb": "https://bitbucket.org/{}"}


def template_address() -> str:
    """Where the template came from, as git can clone it: the address given, or this folder."""
    given = str(ANSWERS.get("_template") or "")
    prefix, _, rest = given.partition(":")
    if prefix in ABBREVIATIONS and rest and not rest.startswith("//"):
        return ABBREVIATIONS[prefix].format(rest)
    if "://" in given or given.startswith("git@"):
        return given
    return str(template_folder())


def template_folder() -> Path:
    """The folder cookiecutter rendered from (for an address, its clone of it)."""
    return Path(ANSWERS.get("_repo_dir") or TEMPLATE_DIR).resolve()


def template_commit() -> str | None:
    found = subprocess.run(["git", "rev-parse", "HEAD"], cwd=template_folder(), capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else None


def record_answers(project: Path) -> None:
    """Keep the answers in .cruft.json, as cruft keeps them, so `cruft check` and `cruft update` work
    on a project baked with plain cookiecutter. When cruft itself bakes (its answers carry
    ``_commit``), it writes the file and nothing is done here."""
    if "_commit" in ANSWERS:
        return
    address, commit = template_address(), template_commit()
    answers = {name: value for name, value in ANSWERS.items() if not name.startswith("_")}
    record = {
        "template": address,
        "commit": commit,
        "checkout": ANSWERS.get("_checkout"),
        "context": {"cookiecutter": {**answers, "_template": address, "_commit": commit}},
        "directory": None,
        "skip": [],
    }
    (project / ".cruft.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    project = Path.cwd()
    manifest = load()
    remove_unchosen_files(project, manifest)
    remove_unchosen_readme_sections(project, manifest)
    record_answers(project)


if __name__ == "__main__":
    main()
