"""Remove what the chosen options do not use, as the feature manifest says."""

import json
import shutil
import sys
from pathlib import Path

# Every answer arrives as JSON data, so quotes or newlines in it cannot run as code.
ANSWERS = json.loads({{ cookiecutter | tojson | tojson }})
sys.path.insert(0, {{ template_dir() | tojson }})

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


def main() -> None:
    project = Path.cwd()
    manifest = load()
    remove_unchosen_files(project, manifest)
    remove_unchosen_readme_sections(project, manifest)


if __name__ == "__main__":
    main()
