"""Chinese words for the archive's full-text index and its queries (jieba). Pure: no database.

Both databases index the same thing: the text cut into words by jieba's search mode (every word, and the shorter
dictionary words inside a long one), normalised (NFKC, lower case) and joined by spaces, so SQLite FTS5's unicode61
tokenizer and PostgreSQL's 'simple' configuration see the same tokens. A query is cut into words (precise mode);
each word must be in a document, either whole or as all the dictionary words inside it (so a query for 文明城区
also finds a text that jieba cut as 文明 城区). The same query expression is written for FTS5 MATCH and for
to_tsquery, so both find the same documents.

jieba's dictionary loads once per process, on first use (about a second), without the hidden-Markov guess of
unknown words: that guess depends on the words around, and a query has none, so it is off on both sides.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

_lock = threading.Lock()
_jieba = None

# Words of the platform's archives that jieba's dictionary lacks or cuts apart.
DOMAIN_WORDS = (
    "扫黄打非", "文明城区", "创建文明城区", "社区减负", "志愿服务", "网格员", "居委会", "一盒档案", "四个一",
    "工作方案", "活动记录", "上级文件", "本级文件", "台账", "电子台账", "新时代文明实践", "垃圾分类", "平安建设",
    "双报到", "社区书记", "网格化",
)  # fmt: skip
# Words that say nothing on their own: left out of queries (kept in the index; they cost little there).
STOP_WORDS = frozenset("的 了 和 与 及 或 在 是 对 把 被 将 等 之 其 于 以 为 也 就 都 而 并 个".split())
_TOKEN = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 12


def _segmenter():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                for word in DOMAIN_WORDS:
                    jieba.add_word(word, freq=20000)
                _jieba = jieba
    return _jieba


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _tokens(pieces) -> list[str]:
    return [t for piece in pieces for t in _TOKEN.findall(piece)]


def index_words(text: str) -> str:
    """The text as the index holds it: its search-mode words, space-separated."""
    if not text:
        return ""
    return " ".join(_tokens(_segmenter().cut_for_search(normal(text), HMM=False)))


@dataclass(frozen=True)
class Term:
    """One word of a query: found when a document has `word`, or every one of `parts` (the dictionary words jieba's
    search mode finds inside it; empty for a short word)."""

    word: str
    parts: tuple[str, ...] = ()


def query_terms(query: str) -> list[Term]:
    """The words of a query (precise mode), without stop words and repeats; at most MAX_QUERY_WORDS."""
    jieba = _segmenter()
    terms, seen = [], set()
    for word in _tokens(jieba.cut(normal(query), HMM=False)):
        if word in STOP_WORDS or word in seen:
            continue
        seen.add(word)
        parts = _cover(word, [p for p in _tokens(jieba.cut_for_search(word, HMM=False)) if p != word])
        terms.append(Term(word, parts if len(parts) > 1 else ()))
        if len(terms) == MAX_QUERY_WORDS:
            break
    return terms


def _cover(word: str, pieces: list[str]) -> tuple[str, ...]:
    """The longest pieces that follow one another from the word's start without overlapping (创建文明城区: 创建
    文明 城区, not 建文): the way a text holding the word in other cuts most likely holds it."""
    at, out = 0, []
    while at < len(word):
        here = [p for p in pieces if word.startswith(p, at)]
        if here:
            best = max(here, key=len)
            out.append(best)
            at += len(best)
        else:
            at += 1
    return tuple(dict.fromkeys(out))


def highlight_words(terms: list[Term]) -> list[str]:
    """What to mark in a snippet: each term's word and its parts, longest first."""
    words = {w for t in terms for w in (t.word, *t.parts)}
    return sorted(words, key=lambda w: (-len(w), w))


def _expression(terms: list[Term], quote: str, both: str, either: str) -> str:
    """The query in one engine's syntax (tokens are letters and digits only: quoting them is safe)."""

    def group(t: Term) -> str:
        whole = f"{quote}{t.word}{quote}"
        if not t.parts:
            return whole
        parts = both.join(f"{quote}{p}{quote}" for p in t.parts)
        return f"({whole}{either}({parts}))"

    return both.join(group(t) for t in terms)


def fts5_query(terms: list[Term]) -> str:
    """The query for SQLite FTS5 MATCH."""
    return _expression(terms, '"', " AND ", " OR ")


def tsquery(terms: list[Term]) -> str:
    """The same query for PostgreSQL's to_tsquery('simple', …)."""
    return _expression(terms, "'", " & ", " | ")
