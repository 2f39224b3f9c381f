"""A public-domain English text and its letter statistics.

The text is Lewis Carroll's *Alice's Adventures in Wonderland* (1865), public
domain, in the Project Gutenberg "Millennium Fulcrum Edition 2.9" as stored
(already without Project Gutenberg's header and licence) in the Canterbury
compression corpus as ``alice29.txt``. See ``klcourse/data/README.md`` for
exactly where the copy shipped here came from. It is read from the installed
package: no network.

The letter sequence
-------------------
:func:`english_letters` maps the text to the 27-symbol alphabet
:data:`ALPHABET` (``'a'..'z'`` then the space) like this: upper case is
lowered; every run of characters that are not ASCII letters (spaces, line
breaks, digits, punctuation, apostrophes, hyphens) becomes a single space;
leading and trailing spaces are removed. So ``"Don't -- Alice!"`` becomes
``"don t alice"``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from klcourse.measures import normalize

__all__ = ["ALPHABET", "TEXT_SOURCE", "english_text", "english_letters", "to_letters",
           "letter_indices", "letter_counts", "letter_frequencies"]

#: The 27 symbols: the letters a to z, then the space (index 26).
ALPHABET = "abcdefghijklmnopqrstuvwxyz "

#: Where the text comes from (author, title, edition).
TEXT_SOURCE = ("Lewis Carroll, Alice's Adventures in Wonderland (1865), Project Gutenberg "
               "Millennium Fulcrum Edition 2.9; public domain")

_FILE = "alice_in_wonderland.txt"
_NON_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=1)
def english_text() -> str:
    """The raw text shipped with klcourse (about 150 thousand characters).

    Examples
    --------
    >>> "Down the Rabbit-Hole" in english_text()
    True
    """
    return resources.files("klcourse.data").joinpath(_FILE).read_text(encoding="ascii")


def to_letters(text: str) -> str:
    """Map any text to the 27-symbol alphabet (see the module docstring).

    Parameters
    ----------
    text : str
        Any text.

    Examples
    --------
    >>> to_letters("Don't -- Alice!\\r\\n  Oh dear")
    'don t alice oh dear'
    """
    if not isinstance(text, str):
        raise TypeError(f"to_letters: text must be a str, got {type(text).__name__}")
    return _NON_LETTERS.sub(" ", text.lower()).strip(" ")


@lru_cache(maxsize=1)
def english_letters() -> str:
    """The shipped text as a string over :data:`ALPHABET` (lowercase letters and single spaces).

    Examples
    --------
    >>> english_letters()[:40]
    'alice s adventures in wonderland lewis c'
    >>> set(english_letters()) <= set(ALPHABET)
    True
    """
    return to_letters(english_text())


def letter_indices(letters: str | None = None, *, _func: str = "letter_indices") -> NDArray[np.int64]:
    """Indices into :data:`ALPHABET` (a=0, ..., z=25, space=26) of a letter string.

    Parameters
    ----------
    letters : str, optional
        A string over :data:`ALPHABET` (default: :func:`english_letters`).

    Examples
    --------
    >>> letter_indices("ab z").tolist()
    [0, 1, 26, 25]
    """
    s = english_letters() if letters is None else letters
    if not isinstance(s, str):
        raise TypeError(f"{_func}: letters must be a str, got {type(s).__name__}")
    codes = np.frombuffer(s.encode("ascii", errors="replace"), dtype=np.uint8).astype(np.int64)
    idx = np.where(codes == ord(" "), 26, codes - ord("a"))
    bad = (idx < 0) | (idx > 26)
    if bad.any():
        c = s[int(np.argmax(bad))]
        raise ValueError(f"{_func}: {c!r} is not in the 27-symbol alphabet "
                         "(a-z and space); pass the text through to_letters first")
    return idx


def letter_counts(letters: str | None = None, *, _func: str = "letter_counts") -> NDArray[np.int64]:
    """How often each symbol of :data:`ALPHABET` occurs (27 counts).

    Parameters
    ----------
    letters : str, optional
        A string over :data:`ALPHABET` (default: :func:`english_letters`).

    Examples
    --------
    >>> letter_counts("abba a").tolist()[:3], int(letter_counts("abba a")[26])
    ([3, 2, 0], 1)
    """
    return np.bincount(letter_indices(letters, _func=_func), minlength=27)


def letter_frequencies(letters: str | None = None) -> NDArray[np.float64]:
    """Relative frequencies of the 27 symbols (a distribution, via :func:`klcourse.normalize`).

    Parameters
    ----------
    letters : str, optional
        A string over :data:`ALPHABET` (default: :func:`english_letters`).

    Examples
    --------
    >>> f = letter_frequencies()
    >>> round(float(f.sum()), 12), ALPHABET[int(f.argmax())] == " "
    (1.0, True)
    """
    counts = letter_counts(letters, _func="letter_frequencies")
    if counts.sum() == 0:
        raise ValueError("letter_frequencies: the text has no letters to count")
    return normalize(counts)
