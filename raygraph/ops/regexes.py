"""Regular-expression string ops: `RegexFullMatch`, `RegexReplace` and their `Static*` forms (the pattern an attr).

Patterns follow RE2's rules where Python's `re` differs: they see UTF-8 text with ASCII classes (POSIX ones too),
lookarounds and backreferences are errors, a rewrite's backslash escapes are \\0-\\9 and \\\\, and a global replace
takes no empty match right after the previous match.
"""
import re

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import with_rank
from .strings import _b, _each, _string_shape, _text


# ----- regular expressions -------------------------------------------------------------------------
_POSIX = {"alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ", "cntrl": "\\x00-\\x1f\\x7f",
          "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~",
          "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f"}
_POSIX_RE = re.compile(r"\[:(\w+):\]")


def _from_re2(pattern):
    """An RE2 pattern in Python's syntax: POSIX classes spelled out, \\z as \\Z; what RE2 lacks (lookarounds,
    backreferences) is an error, as it is in TF."""
    out, i, class_from = [], 0, None  # class_from: where the open bracket's members begin
    while i < len(pattern):
        c, nxt = pattern[i], pattern[i + 1:i + 2]
        if c == "\\":
            if class_from is None and nxt in "123456789" and nxt:
                raise re.error("backreferences are not supported")
            out.append("\\Z" if nxt == "z" and class_from is None else pattern[i:i + 2])
            i += 2
            continue
        posix = _POSIX_RE.match(pattern, i) if class_from is not None else None
        if posix and posix.group(1) in _POSIX:
            out.append(_POSIX[posix.group(1)])
            i = posix.end()
            continue
        if class_from is None and c == "[":
            class_from = i + 1 + (pattern[i + 1:i + 2] == "^")
        elif class_from is not None and c == "]" and i > class_from:
            class_from = None
        elif class_from is None and pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            raise re.error("lookaround assertions are not supported")
        out.append(c)
        i += 1
    return "".join(out)


def _compile(pattern):
    try:
        return re.compile(_from_re2(_b(pattern).decode("utf-8", "surrogateescape")), re.ASCII)
    except re.error as e:
        raise InvalidArgumentError(None, None, f"Invalid pattern: {_b(pattern).decode('utf-8', 'replace')}, "
                                               f"error: {e}") from None


def _full_match(pattern, x):
    compiled = _compile(pattern)
    return _each(lambda s: compiled.fullmatch(_text(s)) is not None, x, bool)


def _rewriter(rewrite):
    """RE2's rewrite string as a function of a match: \\0-\\9 insert groups, \\\\ a backslash."""
    pieces, text, i = [], _text(_b(rewrite)), 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and (text[i + 1].isdigit() or text[i + 1] == "\\"):
            nxt = text[i + 1]
            pieces.append(int(nxt) if nxt.isdigit() else "\\")
            i += 2
            continue
        if c == "\\":
            raise InvalidArgumentError(None, None, f"Invalid rewrite pattern: {text}")
        pieces.append(c)
        i += 1
    return lambda m: "".join(p if isinstance(p, str) else (m.group(p) or "") for p in pieces)


def _replace_one(compiled, rewrite, text, replace_global):
    if not replace_global:
        m = compiled.search(text)
        return text if m is None else text[:m.start()] + rewrite(m) + text[m.end():]
    out, pos, last_end = [], 0, None
    while pos <= len(text):
        m = compiled.search(text, pos)
        if m is None:
            break
        out.append(text[pos:m.start()])
        if m.start() == m.end() == last_end:  # RE2: no empty match at the end of the last match; skip a char
            out.append(text[pos:pos + 1])
            pos += 1
            continue
        out.append(rewrite(m))
        pos = last_end = m.end()
    out.append(text[pos:])
    return "".join(out)


def _replace(pattern, rewrite, x, replace_global):
    compiled, rewrite = _compile(pattern), _rewriter(rewrite)
    return _each(lambda s: _replace_one(compiled, rewrite, _text(s), replace_global).encode("utf-8", "surrogateescape"),
                 x)


op("StaticRegexFullMatch", "input:string", kernel=lambda a, x: _full_match(a["pattern"], x), grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.bool_, i[0]._shape))
op("RegexFullMatch", "input:string, pattern:string", kernel=lambda a, x, p: _full_match(np.asarray(p).item(), x),
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: (with_rank(i[1], 0), (dtypes.bool_, i[0]._shape))[1])
op("StaticRegexReplace", "input:string", grad=NOT_DIFFERENTIABLE, shape=_string_shape,
   kernel=lambda a, x: _replace(a["pattern"], a["rewrite"], x, a.get("replace_global", True)))
op("RegexReplace", "input:string, pattern:string, rewrite:string", grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, x, p, r: _replace(np.asarray(p).item(), np.asarray(r).item(), x, a.get("replace_global", True)),
   shape=lambda i, a: (with_rank(i[1], 0), with_rank(i[2], 0), (dtypes.string, i[0]._shape))[2])


def regex_full_match(input, pattern, name=None):  # noqa: A002 - TF's name
    """Whether each string matches `pattern` (RE2 syntax) as a whole; a Python string pattern is an attr."""
    if isinstance(pattern, (str, bytes)):
        return apply_op("StaticRegexFullMatch", [input], {"pattern": pattern}, name=name)
    return apply_op("RegexFullMatch", [input, pattern], name=name)


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002 - TF's name
    """Replaces the matches of `pattern` (all, or the first) by `rewrite`, whose \\1-\\9 insert groups."""
    if isinstance(pattern, (str, bytes)) and isinstance(rewrite, (str, bytes)):
        return apply_op("StaticRegexReplace", [input], {"pattern": pattern, "rewrite": rewrite,
                                                        "replace_global": replace_global}, name=name)
    return apply_op("RegexReplace", [input, pattern, rewrite], {"replace_global": replace_global}, name=name)
