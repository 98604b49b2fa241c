"""The labelled Dutch development set of the complaint detector (tests/data/)."""

import re
from pathlib import Path

DATASET = Path(__file__).resolve().parent / "data" / "signal_messages_nl.txt"
HEADER_RE = re.compile(r"^=== (signal|ordinary) \| (.+)$")


def load_messages(path=DATASET):
    """The messages of the set as ``(is_signal, description, text)`` tuples."""
    messages, current = [], None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        header = HEADER_RE.match(line)
        if header:
            current = [header.group(1) == "signal", header.group(2).strip(), []]
            messages.append(current)
        elif current is not None:
            current[2].append(line)
        elif line.strip() and not line.startswith("#"):
            raise ValueError(f"text before the first message header: {line!r}")
    return [
        (is_signal, description, "\n".join(lines).strip())
        for is_signal, description, lines in messages
    ]
