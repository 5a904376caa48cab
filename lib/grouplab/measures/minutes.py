"""A machine coder of meeting records: the 三多三少 coded from what the minutes say.

Offline and deterministic: the text is split into sentences, each sentence is looked up against the cue
classes of a codebook (default ``data/rubrics/meeting_quality.yml``: regular expressions, and dictionary
words that must be whole tokens of jieba's segmentation with the codebook's words added), and a code is
FALSE as soon as one sentence meets one of its ``false_when`` rules — that sentence (masked, shortened)
and the rule are the evidence. A code is TRUE when no sentence does; NA when the text is not a meeting
record (empty, a placeholder, too short).

What it cannot see: a record is not the meeting. The coder codes what was written; a meeting that
raised sharp criticism and a secretary who wrote "开展了批评与自我批评" look the same.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from grouplab.data.minutes import mask_names, names_pattern
from grouplab.data.problems import problem
from grouplab.data.specs import yaml_text
from grouplab.errors import DataError, ParameterError, require_columns
from grouplab.paths import rubrics_dir

__all__ = ["load_meeting_codebook", "code_minutes", "split_sentences", "CodebookSpec", "EVIDENCE_CHARS"]

#: longest evidence quote (characters, after masking)
EVIDENCE_CHARS = 60
_CONTEXT = 4  # characters either side of a dictionary word given to jieba
_SPLIT = re.compile(r"(?<=[。！？!?；;])|[\r\n]+")


class CodebookSpec:
    """A meeting-quality codebook compiled for coding (see ``data/rubrics/meeting_quality.yml``)."""

    def __init__(self, spec: dict, source: str = "<dict>"):
        self.source = source
        self.spec = spec
        try:
            self.codes: dict[str, dict] = dict(spec["codes"])
            self.rules: dict[str, dict] = dict(spec["rules"])
            cues = dict(spec["cues"])
            na = spec.get("not_a_record", {})
        except (KeyError, TypeError) as exc:
            raise DataError([problem("codebook_lacks", source, missing=exc)]) from exc
        self.min_chars = int(na.get("min_chars", 1))
        before = (spec.get("sentences") or {}).get("split_before")
        try:  # a clause opening with a connective (并, 随后 …) reports a new act: its own sentence
            self.split_before = re.compile(f"[，,]\\s*(?=(?:{before}))") if before else None
        except re.error as exc:
            raise DataError([problem("bad_cue_pattern", source, name="sentences.split_before",
                                     error=exc)]) from exc
        self.placeholders = {str(p).strip() for p in na.get("placeholders", [])}
        self.patterns: dict[str, re.Pattern] = {}
        self.words: dict[str, frozenset] = {}
        self.prefilter: dict[str, re.Pattern] = {}
        for name, cue in cues.items():
            try:
                if cue.get("patterns"):
                    self.patterns[name] = re.compile("|".join(f"(?:{p})" for p in cue["patterns"]))
                if cue.get("words"):
                    words = sorted({str(w) for w in cue["words"]}, key=len, reverse=True)
                    self.words[name] = frozenset(words)
                    self.prefilter[name] = re.compile("|".join(map(re.escape, words)))
            except re.error as exc:
                raise DataError([problem("bad_cue_pattern", source, name=name, error=exc)]) from exc
        for rname, rule in self.rules.items():
            for part in ("all_of", "none_of", "with_previous"):
                unknown = [c for c in rule.get(part, []) if c not in cues]
                if unknown:
                    raise DataError([problem("rule_unknown_cues", source, name=rname, unknown=unknown)])
        for cname, code in self.codes.items():
            unknown = [r for r in code.get("false_when", []) if r not in self.rules]
            if unknown:
                raise DataError([problem("code_unknown_rules", source, name=cname, unknown=unknown)])
        self.cue_names = tuple(cues)
        # word classes a neighbouring sentence may need: always segmented when present
        self.eager_words = {c for r in self.rules.values() for c in r.get("with_previous", ())
                            if c in self.words}
        self._tokenizer = None
        self.contexts: dict[str, frozenset] = {}  # text around a dictionary word -> its jieba tokens

    @property
    def dictionary(self) -> list[str]:
        """Every dictionary word of the codebook (added to jieba's vocabulary)."""
        return sorted(set().union(*self.words.values())) if self.words else []

    def tokenizer(self):
        """A private jieba tokenizer with the codebook's words added (the global one is not touched)."""
        if self._tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            for w in self.dictionary:
                tok.add_word(w, freq=200000)  # high frequency: kept whole against the default dictionary
            self._tokenizer = tok
        return self._tokenizer


def load_meeting_codebook(path: str | Path | dict | CodebookSpec | None = None) -> CodebookSpec:
    """Read and compile a meeting-quality codebook (default ``data/rubrics/meeting_quality.yml``).

    Returns
    -------
    CodebookSpec
        Compiled cues, rules and codes.
    """
    if isinstance(path, CodebookSpec):
        return path
    if isinstance(path, dict):
        return CodebookSpec(path)
    file = Path(path) if path is not None else rubrics_dir() / "meeting_quality.yml"
    if not file.is_file():
        raise ParameterError(f"no codebook file {file}")
    return _cached(str(file.resolve()), file.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _cached(file: str, _mtime: int) -> CodebookSpec:
    text = yaml_text(Path(file), Path(file).name)  # within the YAML limits (a codebook may be the user's)
    return CodebookSpec(yaml.safe_load(text), source=Path(file).name)


def split_sentences(text: str, split_before: re.Pattern | None = None) -> list[str]:
    """Sentences of a record: split after 。！？；!?; and at line breaks; blanks dropped.

    ``split_before`` (the codebook's ``sentences.split_before``, compiled) also splits at a comma
    before a connective, so that "学习了文件，并讨论了巡检安排" is two acts, each judged on its own.

    Examples
    --------
    >>> split_sentences("会议传达了文件。讨论了巡检安排；\\n散会")
    ['会议传达了文件。', '讨论了巡检安排；', '散会']
    >>> split_sentences("学习了文件，并讨论了巡检安排。", re.compile("[，,](?=并)"))
    ['学习了文件', '并讨论了巡检安排。']
    """
    parts = [s for s in _SPLIT.split(text) if s and s.strip()]
    if split_before is not None:
        parts = [c for s in parts for c in split_before.split(s)]
    return [s.strip() for s in parts if s and s.strip()]


def _whole_token(cb: CodebookSpec, sentence: str, words: frozenset, rx: re.Pattern) -> bool:
    """Whether some occurrence of a word of ``words`` is a whole jieba token.

    Each occurrence is segmented with ``_CONTEXT`` characters either side (jieba's words are short, so
    the tokens at the occurrence are those of the whole sentence in practice); contexts repeat across
    records and are cached.
    """
    for m in rx.finditer(sentence):
        lo, hi = max(0, m.start() - _CONTEXT), m.end() + _CONTEXT
        key = sentence[lo:hi]
        tokens = cb.contexts.get(key)
        if tokens is None:
            if len(cb.contexts) > 2_000_000:
                cb.contexts.clear()
            tokens = cb.contexts[key] = frozenset(cb.tokenizer().cut(key, HMM=False))
        if words & tokens:
            return True
    return False


def _cues_of(cb: CodebookSpec, sentence: str) -> frozenset:
    """Cue classes present in one sentence.

    Dictionary classes must be whole jieba tokens; segmentation (the slow part) runs only when a word
    of the class occurs in the sentence and some rule could still hold with it.
    """
    found = {name for name, rx in cb.patterns.items() if rx.search(sentence)}
    pre = {name for name, rx in cb.prefilter.items() if rx.search(sentence)}
    if pre and (pre & cb.eager_words or any(
            set(r.get("all_of", ())) <= found | pre and not set(r.get("none_of", ())) & found
            for r in cb.rules.values())):
        found |= {name for name in pre if _whole_token(cb, sentence, cb.words[name], cb.prefilter[name])}
    return frozenset(found)


def _rule_holds(rule: dict, here: frozenset, before: frozenset) -> bool:
    return (all(c in here for c in rule.get("all_of", ()))
            and not any(c in here for c in rule.get("none_of", ()))
            and all(c in here or c in before for c in rule.get("with_previous", ())))


def _quote(sentence: str, names) -> str:
    text = mask_names(sentence, names) or ""
    return text if len(text) <= EVIDENCE_CHARS else text[:EVIDENCE_CHARS - 1] + "…"


def _decide(cb: CodebookSpec, here: frozenset, before: frozenset) -> tuple:
    """Per code, the first of its rules that holds for a sentence (None if none)."""
    return tuple(next((r for r in code.get("false_when", ()) if _rule_holds(cb.rules[r], here, before)), None)
                 for code in cb.codes.values())


def _code_one(cb: CodebookSpec, text: Any, cache: dict, rules: dict) -> tuple:
    """(status, per code (rule, sentence) or None, study share, sentences) of one record."""
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return "empty", [], np.nan, 0
    text = str(text).strip()
    if not text or text in cb.placeholders or len(text) < cb.min_chars:
        return "not_a_record", [], np.nan, 0
    sentences = split_sentences(text, cb.split_before)
    cues = []
    for s in sentences:
        c = cache.get(s)
        if c is None:
            c = cache[s] = _cues_of(cb, s)
        cues.append(c)
    decided: list = [None] * len(cb.codes)
    before = frozenset()
    for i, here in enumerate(cues):
        key = (here, before)
        hits = rules.get(key)
        if hits is None:
            hits = rules[key] = _decide(cb, here, before)
        for j, rule in enumerate(hits):
            if rule is not None and decided[j] is None:
                decided[j] = (rule, sentences[i])
        before = here
    study = sum("study" in c for c in cues) / len(cues) if cues else np.nan
    return "coded", decided, study, len(sentences)


def code_minutes(minutes: pd.DataFrame, *, codebook: Any = None, names: Any = ()) -> pd.DataFrame:
    """Code each meeting record for the codebook's codes (default: the 三多三少).

    Parameters
    ----------
    minutes : pandas.DataFrame
        The ``minutes`` table (at least ``text``; ``record_id``, ``group_id``, ``date``, ``recorder``
        are carried over when present).
    codebook : path, dict or CodebookSpec, optional
        Default ``data/rubrics/meeting_quality.yml``.
    names : iterable of str
        Names of people (the roster) masked in evidence quotes, on top of the recorders and the
        patterns of :func:`grouplab.data.minutes.mask_names`.

    Returns
    -------
    pandas.DataFrame
        One row per record, same index: ``record_id``, ``group_id``, ``date`` (when given), ``status``
        (``coded``, ``not_a_record``, ``empty``), ``sentences``, ``study_share`` (share of sentences
        that are document study), then per code ``<code>`` (boolean; TRUE = the problem is present,
        NA when not coded), ``<code>_rule`` (the rule that made it FALSE, ``none`` when TRUE) and
        ``<code>_evidence`` (the masked, shortened sentence that decided a FALSE).
    """
    require_columns(minutes, ["text"], "minutes")
    cb = load_meeting_codebook(codebook)
    roster = names_pattern(list(names) + (minutes["recorder"].dropna().astype(str).unique().tolist()
                                          if "recorder" in minutes else []))
    quotes: dict = {}
    cache: dict = {}
    rules: dict = {}
    results = [_code_one(cb, t, cache, rules) for t in minutes["text"].tolist()]
    out = pd.DataFrame(index=minutes.index)
    for c in ("record_id", "group_id", "date"):
        if c in minutes:
            out[c] = minutes[c]
    out["status"] = pd.array([r[0] for r in results], dtype="string")
    out["sentences"] = pd.array([r[3] if r[0] == "coded" else pd.NA for r in results], dtype="Int64")
    out["study_share"] = [r[2] for r in results]
    for j, code in enumerate(cb.codes):
        vals, rules, ev = [], [], []
        for status, decided, _, _ in results:
            if status != "coded":
                vals.append(pd.NA), rules.append(pd.NA), ev.append(pd.NA)
            elif decided[j] is None:
                vals.append(True), rules.append("none"), ev.append(pd.NA)
            else:
                rule, sentence = decided[j]
                if sentence not in quotes:
                    quotes[sentence] = _quote(sentence, roster)
                vals.append(False), rules.append(rule), ev.append(quotes[sentence])
        out[code] = pd.array(vals, dtype="boolean")
        out[f"{code}_rule"] = pd.array(rules, dtype="string")
        out[f"{code}_evidence"] = pd.array(ev, dtype="string")
    return out
