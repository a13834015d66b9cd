"""Writing what is shown to a file (page.py): JSON that cannot end the script it sits in, read back by an HTML
parser and by JSON itself; files written or refused with a clear error; the static parts shipped."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from autograd.show.page import asset, script_json, write_file

HOSTILE = {
    "label": "</script><!--<script>alert(1)</script>",
    "note": "a & b > c \u2028 d \u2029 <b>é</b>",
    "n": [1.5, -2],
}


class Elements(HTMLParser):
    """The tags an HTML parser sees, and the text inside each <script>."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_script_json_is_read_back_whole_by_an_html_parser_and_by_json():
    text = script_json(HOSTILE)
    assert not set("<>&\u2028\u2029") & set(text)  # written as \u escapes, which JSON reads as the same characters
    page = f'<p>before</p><script type="application/json">{text}</script><p>after</p>'
    parser = Elements()
    parser.feed(page)
    parser.close()
    assert parser.tags == ["p", "script", "p"]  # the data did not end the script early, nor swallow the page
    assert json.loads(parser.scripts[0]) == HOSTILE


def test_script_json_refuses_numbers_json_does_not_have():
    for number in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            script_json({"loss": number})


def test_write_file_writes_the_bytes_or_names_the_missing_directory(tmp_path):
    write_file(tmp_path / "page.html", "é\n".encode())
    assert (tmp_path / "page.html").read_bytes() == b"\xc3\xa9\n"
    missing = tmp_path / "missing" / "page.html"
    with pytest.raises(FileNotFoundError, match=r"cannot write .*directory .*missing' does not exist"):
        write_file(missing, b"x")
    assert not missing.parent.exists()


@pytest.mark.parametrize("name", ["stepper.js", "stepper.css", "stepper.html"])
def test_each_static_file_is_read_as_shipped(name):
    shipped = Path(__file__).resolve().parents[3] / "autograd" / "show" / "static" / name
    assert asset(name) == shipped.read_text(encoding="utf-8") and asset(name).strip()
