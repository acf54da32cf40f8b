from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.providers.base import _server_message
from {{ cookiecutter.package_name }}.safety import HIDDEN, label, markdown, scrub, short


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![cat](http://outside.example/cat.png)", "[image: cat](http://outside.example/cat.png)"),
        (
            "![cat][pic]\n\n[pic]: http://outside.example/p.png",
            "[image: cat][pic]\n\n[pic]: http://outside.example/p.png",
        ),
        ("see `![kept](x.png)` here", "see `![kept](x.png)` here"),
        ("```\n![kept](x.png)\n```\n![gone](y.png)", "```\n![kept](x.png)\n```\n[image: gone](y.png)"),
        ("no images at all", "no images at all"),
    ],
)
def test_markdown_turns_images_into_links_outside_code(text: str, expected: str) -> None:
    assert markdown(text) == expected


def test_an_unclosed_code_fence_protects_the_rest() -> None:
    assert markdown("```\n![kept](x.png)") == "```\n![kept](x.png)"


def test_labels_show_dollar_signs_instead_of_latex() -> None:
    assert label("$$\\rule{1px}{9000px}$$ ![x](y)") == "\\$\\$\\rule{1px}{9000px}\\$\\$ [image: x](y)"


@pytest.mark.parametrize(
    "secret_text",
    [
        "http://someone:hunter2@gateway.example/v1",
        "https://token@gateway.example/v1",
        "key sk-proj-abcdefghijklmnopqrstuvwxyz012345",
        "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
        "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123",
    ],
)
def test_scrub_blanks_credentials(secret_text: str) -> None:
    cleaned = scrub(secret_text)
    assert HIDDEN in cleaned
    for secret in ("hunter2", "token@", "abcdefghijklmnopqrstuvwxyz"):
        assert secret not in cleaned


def test_scrub_leaves_plain_addresses_alone() -> None:
    assert scrub("http://127.0.0.1:8000/v1 and user@example.com") == "http://127.0.0.1:8000/v1 and user@example.com"


def test_a_long_service_message_is_cut_to_one_short_line() -> None:
    message = _server_message({"error": {"message": "Model not found.\n\nSee https://docs.example " * 50}})
    assert len(message) <= 202 and "\n" not in message and message.endswith(".")
    assert short("a" * 500, 100).endswith("…") and len(short("a" * 500, 100)) == 100
