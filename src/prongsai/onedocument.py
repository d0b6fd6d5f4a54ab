"""The one YAML document of a file a person edits (plan, settings, units), or a clear refusal.

An empty file, a file of comments, '---', 'null', '[]' and '{}' hold nothing and say so (the
command would otherwise go on with nothing and exit 0); a second document (after a '---' line) is
refused at its line rather than ignored; empty documents around the one that matters are harmless.
"""

from __future__ import annotations

from pathlib import Path

from prongsai.errors import InputError
from prongsai.ingest.located import Located, read_yaml_file
from prongsai.problems import Location, Problem, error, label


def one_mapping(
    path: Path, *, empty: Problem, what: str, field: str
) -> tuple[Located, dict[str, Located], Location]:
    """The file's one document, its mapping, and the file's location. ``empty`` is the problem of a
    file that holds nothing, ``what`` the label naming the kind of file, ``field`` the name given to
    a document that is not a mapping."""
    location = Location(file=path.name)
    documents = [d for d in read_yaml_file(path) if d.value is not None]
    if len(documents) > 1:
        what_th, what_en = label(what, "th"), label(what, "en")
        second = location.with_(line=documents[1].line)
        raise InputError(
            [error("input_several_documents", second, count=len(documents), what_th=what_th, what_en=what_en)]
        )
    if not documents or documents[0].value in ([], {}):
        raise InputError([empty])
    document = documents[0]
    if not isinstance(document.value, dict):
        raise InputError([error("not_a_mapping", location.with_(line=document.line), field=field)])
    return document, document.value, location
