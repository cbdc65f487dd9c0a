"""The text of a file whose encoding nobody stated: plain text, Markdown, JSON, JSON Lines.

Web pages and feeds declare or imply their encoding and are decoded by trafilatura and
feedparser; PDFs carry their own. For the others, the first of these that reads the
file as text wins:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32), and the file must then decode with it;
2. UTF-8, which almost every file written today is;
3. UTF-8 with a few stray Windows-1252 bytes (a curly quote pasted from an old editor
   into UTF-8 text): those bytes alone are read as Windows-1252, the rest as UTF-8;
4. a guess among the other encodings (Windows-125x, ISO 8859, KOI8-R, Shift JIS,
   GB18030, Big5, EUC-KR, UTF-16 without a mark...): of charset-normalizer's readings,
   the least garbled (its "chaos"), then the most like a language (its "coherence"),
   then the encoding more common in news (``_LIKELY``). On paragraphs the length of a
   short article this reads English, French, German, Spanish, Czech, Polish and Turkish
   in their Windows code pages, Russian (Windows-1251, KOI8-R), Greek, Hebrew, Japanese
   and Chinese right (``tests/index/test_encoding.py``), and Polish in ISO 8859-2
   wrong; single sentences go wrong more often. A guess is logged as a warning naming
   the encoding, so a wrong one can be found; files saved as UTF-8 need no guess.

"Reads as text" means at most 1% control characters (tab, newline, carriage return,
form feed and vertical tab aside), so an image or archive renamed ``.txt`` is refused as
binary data rather than stored as noise. Every refusal says what to do.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import ArticleReadError

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_PRINTABLE = re.compile(rb"[\t\n\r\x20-\x7e]")
_PRINTABLE_SHARE = 0.8
_MAX_CONTROL_SHARE = 0.01
# ``surrogateescape`` turns each byte UTF-8 refuses into one of these code points.
_ESCAPED = re.compile(r"[\udc80-\udcff]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
_CONVERT = "convert it to UTF-8 (for example: iconv -f ITS-ENCODING -t UTF-8 FILE)"
_CHAOS_TIE = 0.01
_COHERENCE_TIE = 0.02
"""Readings this close in charset-normalizer's chaos are equally ungarbled, and this
close in its coherence equally like a language: an English text with one "£" reads as
Windows-1250 ("Ł") 0.012 more coherently than as Windows-1252."""
_LIKELY = (
    # Roughly by how often news text comes in them, Western European first.
    *("cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp932", "shift_jis"),
    *("euc_jp", "gb18030", "gbk", "gb2312", "big5", "euc_kr", "cp949", "cp1250"),
    *("iso8859_2", "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1257", "iso8859_13"),
    *("cp1255", "iso8859_8", "cp1256", "iso8859_6", "iso8859_5", "utf_16", "utf_32"),
)

logger = logging.getLogger(__name__)


def decode_text(path: Path, raw: bytes) -> str:
    """The text of ``raw``, the bytes of the file at ``path``, however it is encoded.

    Raises ``ArticleReadError`` when it is binary data or no encoding reads it as text.
    """
    for mark, codec, name in _BOMS:
        if raw.startswith(mark):
            return _decode_marked(path, raw, mark, codec, name)
    decoded_any = False
    for text, guessed in _readings(raw):
        if _is_text(text):
            if guessed:
                logger.warning(
                    "%s: not UTF-8; read as %s, a guess: if its text looks wrong, %s",
                    path,
                    guessed,
                    _CONVERT,
                )
            return text
        decoded_any = True
    if decoded_any or _share(_CONTROL_BYTES, raw) > _MAX_CONTROL_SHARE:
        raise _binary(path)
    raise ArticleReadError(
        str(path), f"not UTF-8 text, and no other text encoding reads it; {_CONVERT}"
    )


def _decode_marked(path: Path, raw: bytes, mark: bytes, codec: str, name: str) -> str:
    """The text of a file that starts with ``name``'s byte-order mark ``mark``."""
    rest = raw[len(mark) :]
    if name == "UTF-8":
        text = next(_utf8_readings(rest), None)
        if text is None:
            raise ArticleReadError(
                str(path),
                f"not UTF-8 text, though it starts with UTF-8's byte-order mark; {_CONVERT}",
            )
        if not _is_text(text[0]):
            raise _binary(path)
        return text[0]
    if len(rest) >= 4 and _share(_PRINTABLE, rest) >= _PRINTABLE_SHARE:
        # UTF-16 and UTF-32 text of any script is far from all printable ASCII bytes:
        # this is 8-bit text behind a stray mark, and read as UTF-16 it would be noise.
        raise ArticleReadError(
            str(path),
            f"not UTF-8 text: it starts with a {name} byte-order mark, but what follows is "
            f"not {name}; remove the first {len(mark)} bytes, or {_CONVERT}",
        )
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise ArticleReadError(
            str(path),
            f"not UTF-8 text, nor the {name} its byte-order mark names (bad byte at offset "
            f"{exc.start}); {_CONVERT}",
        ) from exc
    if not _is_text(text):
        raise _binary(path)
    return text


def _share(pattern: re.Pattern[bytes], raw: bytes) -> float:
    return len(pattern.findall(raw)) / max(len(raw), 1)


def _utf8_readings(raw: bytes) -> Iterator[tuple[str, str]]:
    """UTF-8, or UTF-8 with stray Windows-1252 bytes, when either reads ``raw``."""
    escaped = raw.decode("utf-8", errors="surrogateescape")
    stray = sum(len(match) for match in _ESCAPED.findall(escaped))
    if not stray:
        yield escaped, ""
    elif stray < len(_NON_ASCII.findall(escaped)):
        # A file in an 8-bit encoding almost never holds a valid multi-byte UTF-8
        # sequence: more of them than refused bytes is UTF-8 text with a few strays.
        yield _ESCAPED.sub(_as_windows_1252, escaped), "UTF-8 with some Windows-1252 bytes"


def _readings(raw: bytes) -> Iterator[tuple[str, str]]:
    """(text, the encoding guessed or ``""``) worth trying, best first; lazily, so the
    guess is made only for files that need it."""
    yield from _utf8_readings(raw)
    best = _guess(raw)
    if best is not None:
        yield str(best), best.encoding


def _guess(raw: bytes) -> CharsetMatch | None:
    # Imported here: only files that are not UTF-8 need it.
    from charset_normalizer import from_bytes

    readings = list(from_bytes(raw))
    if not readings:
        return None
    least = min(reading.chaos for reading in readings)
    tied = [reading for reading in readings if reading.chaos <= least + _CHAOS_TIE]
    most = max(reading.coherence for reading in tied)
    return min(
        (reading for reading in tied if reading.coherence >= most - _COHERENCE_TIE),
        key=lambda reading: min(
            (_LIKELY.index(name) for name in reading.could_be_from_charset if name in _LIKELY),
            default=len(_LIKELY),
        ),
    )


def _as_windows_1252(match: re.Match[str]) -> str:
    """The escaped bytes of ``match`` read as Windows-1252 (its 5 unused ones as Latin-1)."""
    return "".join(
        bytes([ord(char) - 0xDC00]).decode("cp1252", errors="ignore") or chr(ord(char) - 0xDC00)
        for char in match.group()
    )


def _is_text(text: str) -> bool:
    return len(_CONTROLS.findall(text)) <= _MAX_CONTROL_SHARE * len(text)


def _binary(path: Path) -> ArticleReadError:
    return ArticleReadError(
        str(path), "binary data, not text (an image or archive under a text file's name?)"
    )
