"""Writing what is shown to a file: the file itself, JSON inside a page's script, the page's static parts.

A stepper page and the training page of ``nn.watch`` are each one self-contained HTML
file: their style, script and data sit inline, nothing is fetched from the network. The
style and script are the files in ``static/``, shipped with the package.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

# Inside <script type="application/json"> the HTML parser, not JSON, decides where the data ends:
# "</script>" ends it and "<!--" followed by "<script" makes it swallow the page's own </script>.
# Written as JSON escapes, these characters mean the same to JSON.parse and nothing to the parser.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data) -> str:
    """``data`` as JSON that can sit inside a ``<script>`` element of a page whatever its strings hold."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_SCRIPT_SAFE)


def write_file(path: Path, content: bytes) -> None:
    """Write a file, turning a missing directory or a permission problem into a clear error."""
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {str(path)!r}: directory {str(path.parent)!r} does not exist")
    try:
        path.write_bytes(content)
    except (PermissionError, IsADirectoryError) as error:
        raise PermissionError(f"cannot write {str(path)!r}: {error.strerror}; choose a writable path") from None


def asset(name: str) -> str:
    """The text of one of the static files shipped in ``autograd/show/static/`` (stepper.js, .css, .html)."""
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")
