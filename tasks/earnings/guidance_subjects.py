"""What an outlook value is about (pure): its clause, its subject phrase, the metric and basis that phrase names,
whether it is a growth rate, and its sign. Words come from the reviewed vocabulary (tasks.earnings.vocabulary)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.earnings.guidance_values import Value
from tasks.earnings.vocabulary import vocabulary

_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:with|which|while|whereas)\s+|\s+(?:with|which)\s+(?=an?\s)|,\s+(?:and|but)\s+"
                           r"|\s+as well as\s+", re.I)
_CONNECTOR_TAIL = re.compile(
    r"(?:\b(?:is|are|was|were|will|would|should|to|be|been|being|expected|anticipated|projected|forecast|of|at|in|"
    r"for|by|the|a|an|our|its|their|approximately|about|around|roughly|range|ranges|between|within|a range of|"
    r"now|also|still|continue|continues|expects?|anticipates?|reach|reaching|total|totaling|amount|equal|"
    r"guidance|outlook)\b[\s,:]*|[\s,:(\-–—|]+)$", re.I)
_SUBJECT_AFTER = re.compile(
    r"^\s*(?:of|in|into|for|on)\s+(?:the\s+|our\s+|its\s+)?(?P<s>[A-Za-z][\w&'’/\-]*(?:\s+(?!(?:due|driven|related|"
    r"at|to|compared|versus|from|for|by|in|with|which|and|or|as|on|of)\b)[\w&'’/\-()]+){0,6})", re.I)
_SUBJECT_GROWTH_AFTER = re.compile(
    r"^\s*(?P<s>(?:[\w&'’/\-()]+\s+){0,6}?)(?P<g>growth|increase|decline|decrease|change)\b(?:\s+in\s+"
    r"(?P<t>[\w&'’/\-]+(?:\s+(?!(?:due|driven|at|to|compared|versus|from|for|by|with|which|and|or|as)\b)"
    r"[\w&'’/\-]+){0,5}))?", re.I)
_SLUG = re.compile(r"[^a-z0-9]+")
_FOOTNOTE = re.compile(r"\(\d{1,2}\)|\([a-z]\)")

@dataclass(frozen=True)
class Clause:
    start: int
    end: int


@dataclass(frozen=True)
class Subject:
    metric: str  # a core metric name, or "other"
    detail: str | None
    basis: str | None
    phrase: str


def clauses(text: str) -> list[Clause]:
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        spans.append(Clause(start, match.start()))
        start = match.end()
    spans.append(Clause(start, len(text)))
    return spans


def clause_of(spans: list[Clause], position: int) -> Clause:
    return next((c for c in spans if c.start <= position < c.end), spans[-1])


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text``."""
    found = None
    for found in pattern.finditer(text):  # noqa: B007 (the loop keeps the last one)
        pass
    return found


def slug(text: str) -> str:
    return _SLUG.sub("_", _FOOTNOTE.sub(" ", text).lower()).strip("_")


def basis_of(phrase: str) -> str | None:
    words = vocabulary()
    if words.non_gaap.search(phrase):
        return "non_gaap"
    if words.gaap.search(phrase):
        return "gaap"
    return None


def bases_in_order(text: str) -> list[str | None]:
    """The bases a text names, in the order it names them ('adjusted and reported': non_gaap, gaap)."""
    words = vocabulary()
    found = sorted([(m.start(), "non_gaap") for m in words.non_gaap.finditer(text)]
                   + [(m.start(), "gaap") for m in words.gaap.finditer(text)
                      if not any(n.start() <= m.start() < n.end() for n in words.non_gaap.finditer(text))])
    return list(dict.fromkeys(basis for _, basis in found))


def _core_metric(phrase: str) -> str | None:
    """The core metric a subject phrase names, or None (a qualified revenue, an impact on a metric, ...)."""
    words = vocabulary()
    for name in words.metrics:
        match = _last(name.pattern, phrase)
        if match is None:
            continue
        if words.metric_modifier.search(phrase[match.end():]) or _NAMED_AFTER.match(phrase[match.end():]):
            return None  # "revenue impact", "revenues for <Product>": not the company's metric itself
        before = [w.strip(",:;()") for w in re.split(r"\s+", _FOOTNOTE.sub(" ", phrase[: match.start()])) if w]
        if before and not _plain_modifier(before[-1]):
            return None  # "segment operating income", "cloud revenue": another measure
        return name.metric
    return None


def _plain_modifier(word: str) -> bool:
    """Words that may stand before a core metric name without making it another measure."""
    words = vocabulary()
    lowered = word.lower()
    ordinal_period = re.fullmatch(r"(?P<o>[a-z]+)-(?:quarter|half)", lowered)  # "third-quarter revenue"
    if ordinal_period and ordinal_period.group("o") in words.ordinals:
        return True
    return (lowered in words.plain_modifiers or bool(re.fullmatch(r"(?:19|20)\d{2}|\W*", lowered))
            or bool(words.non_gaap.fullmatch(word)) or bool(words.gaap.fullmatch(word))
            or bool(words.forward.fullmatch(word)) or word[:1].isdigit())


def subjects_of(text: str, clause: Clause, value: Value, label: str | None,
                previous: Subject | None = None) -> list[Subject]:
    """The measures ``value`` states: a table row's label, 'VALUE in/of SUBJECT', 'VALUE SUBJECT growth',
    'VALUE SUBJECT', or the phrase before the value in its clause (else the previous value's subject).
    A currency impact on several metrics ('to impact reported revenue and core EPS growth') is one per metric."""
    phrase, growth = (label, False) if label is not None else _phrase(text, clause, value)
    phrase = phrase.strip(" ,:;.-–—|")
    if not re.search(r"[A-Za-z]{2}", phrase):
        return [previous] if previous is not None else []
    before = re.split(r"[\d,;]", text[max(clause.start, value.start - 60):value.start])[-1]  # back to a figure or comma
    near = before + text[value.start:min(clause.end, value.end + 40)]
    currency_named_after = vocabulary().currency.match(text[value.end:value.end + 30].strip(" ,"))
    if value.unit == "percent" and vocabulary().currency.search(near) and (
            not _core_metric(phrase) or currency_named_after):
        targets = _fx_targets(text[value.end:clause.end]) or [(slug(_core_name(phrase) or "revenue"), basis_of(phrase))]
        return [Subject("other", f"fx_impact_on_{name}_growth_yoy_pp", basis, phrase) for name, basis in targets]
    basis = basis_of(phrase)
    metric = _core_metric(phrase)
    if value.unit == "percent" and (growth or metric in _AMOUNT_METRICS or metric == "eps_diluted"):
        named = _core_name(phrase) or (_core_name(previous.phrase) if previous is not None else None)
        base = slug(named or phrase)
        detail = f"{base}_growth_yoy" if not base.endswith("_growth") else f"{base}_yoy"
        tail = re.split(r"\d", text[value.end:value.end + 40])[0]  # up to the next figure
        currency = vocabulary().constant_currency.search(f"{phrase} {tail}")
        if currency and "constant_currency" not in detail:
            detail += "_constant_currency"
        return [Subject("other", detail, basis, phrase)]
    if _CHANGE_AFTER.match(text[value.end:clause.end]) or _RAISED_BY.search(text[clause.start:value.start]):
        # "a $2 billion increase of the high end ...", "raises revenue guidance by $1 billion": a change
        named = _core_name(phrase) or (_core_name(previous.phrase) if previous is not None else None) or phrase
        return [Subject("other", f"{slug(named)}_change", basis, phrase)]
    if metric is None or metric == "eps_diluted":
        return [Subject("other", "eps_diluted" if metric else _detail(phrase), basis, phrase)]
    return [Subject(metric, _scope(phrase), basis, phrase)]


_SCOPE = re.compile(r",\s*(?P<how>including|excluding)\s+(?P<what>[^,]{3,80})(?:,|$)", re.I)


def _scope(phrase: str) -> str | None:
    """'capital expenditures, including principal payments on finance leases,' → 'incl_finance_lease_principal'."""
    match = _SCOPE.search(phrase)
    if match is None:
        return None
    what = match.group("what")
    name = next((detail for detail, pattern in vocabulary().scopes if pattern.search(what)), slug(what))
    return f"{'incl' if match.group('how').lower() == 'including' else 'excl'}_{name}"


_AMOUNT_METRICS = ("revenue", "capex", "operating_expenses", "operating_income", "total_expenses")
_CHANGE_AFTER = re.compile(r"^\s*(?:increase|decrease|reduction|raise|cut|change)\b", re.I)


def _phrase(text: str, clause: Clause, value: Value) -> tuple[str, bool]:
    """The subject words of a value, and whether they name a growth rate."""
    words = vocabulary()
    before = text[clause.start:value.start]
    after = text[value.end:clause.end]
    grown = _SUBJECT_GROWTH_AFTER.match(after) if value.unit == "percent" else None
    if grown and (grown.group("s").strip() or grown.group("t")):
        return f"{grown.group('s')} {grown.group('t') or ''}".strip(), True
    tail = _SUBJECT_AFTER.match(after)
    if tail and not _is_period(tail.group("s")) and (words.any_metric.search(tail.group("s"))
                                                     or not words.any_metric.search(before)):
        phrase = tail.group("s")
        named = _NAMED_AFTER.match(after[tail.end():])
        if named is not None:  # "revenues for <Product>": that product's revenue
            return f"{phrase} {named.group(0).strip()}", False
        if _IMPACT_BEFORE.search(before):  # "an impact of approximately $0.6 billion on revenues"
            return f"impact on {phrase}", False
        return phrase, False
    # A measure named after an earlier value of the clause is this value's own subject ("$92 billion to $94 billion
    # and adjusted operating margin of 16%"); without one, the words before it stand ("EPS of $5.85, an increase of").
    since_earlier = _EARLIER_VALUE.split(before)[-1]
    if since_earlier != before:  # '$600 million of overhead in 2027 and $550 million in 2028': the same measure
        owned = _SUBJECT_AFTER.match(since_earlier)
        rest = since_earlier[owned.end():] if owned else since_earlier
        if owned and not re.search(r"[A-Za-z]{2}", _CONNECTOR_HEAD.sub("", _PERIOD_WORDS.sub(" ", rest).strip())):
            return "", False
    trimmed = _trim(since_earlier if words.measure_noun.search(since_earlier) else before)
    if re.search(r"[A-Za-z]{2}", trimmed):
        return trimmed, bool(value.unit == "percent" and words.growth.search(before[-60:]))
    noun = _NOUN_AFTER.match(after)  # "10% operating margin for ...", "$9 billion capital expenditures"
    if noun and not _is_period(noun.group("s")):
        return noun.group("s"), False
    return "", False


_CONNECTOR_HEAD = re.compile(r"^(?:(?:and|or|while|plus|as well as|with)\b[\s,]*)+", re.I)
# A value written earlier in the clause: "$92 billion to $94 billion and adjusted operating margin of 16%".
_EARLIER_VALUE = re.compile(
    r"(?<![A-Za-z\d])(?:\$\s?\d[\d,.]*(?:\s*(?:billion|million|thousand|trillion|bn|mm|[BMK])\b)?"
    r"|\d[\d,.]*\s*(?:%|percent\b|billion\b|million\b|thousand\b|trillion\b|basis points\b|bps\b))", re.I)
_NAMED_AFTER = re.compile(r"^\s+(?:for|from|of)\s+(?:the\s+)?(?!(?:19|20)\d{2}\b|Q[1-4]\b|FY)[A-Z0-9][\w&'’/\-]*")
_IMPACT_BEFORE = re.compile(r"\b(?:impact|effect|headwind|tailwind|benefit)\s+of\s+(?:approximately\s+|about\s+|~)?$",
                            re.I)
_RAISED_BY = re.compile(r"\b(?:raises?|raised|raising|increases?|increased|lowers?|lowered|reduces?|reduced|"
                        r"narrows?|narrowed|cuts?)\b[^.;]{0,80}\bby\s+(?:approximately\s+|about\s+)?$", re.I)
_NOUN_AFTER = re.compile(r"^\s*(?P<s>[A-Za-z][\w&'’/\-]*(?:\s+(?!(?:for|of|in|at|to|from|by|with|which|and|or|as|"
                         r"on|due|driven|compared|versus)\b)[\w&'’/\-]+){0,5})", re.I)


def _is_period(phrase: str) -> bool:
    return bool(re.match(r"(?:Q[1-4]|[1-4]Q|fiscal|FY|full[- ]year|the (?:first|second|third|fourth) quarter|"
                         r"(?:first|second|third|fourth)[- ]quarter|(?:19|20)\d{2}|this year|next year)\b",
                         phrase.strip(), re.I))


def _fx_targets(after: str) -> list[tuple[str, str | None]]:
    """Metrics a currency impact applies to, with the basis written before each ('reported net revenue')."""
    words = vocabulary()
    targets = []
    for match in words.any_metric.finditer(after):
        name = "eps" if re.search(r"\beps\b|per share", match.group(0), re.I) else slug(match.group(0))
        name = re.sub(r"^(?:reported|total|net)_", "", name).replace("revenues", "revenue")
        lead = after[max(0, match.start() - 20):match.start()].split()[-1:] if match.start() else []
        targets.append((name, basis_of(" ".join([*lead, match.group(0)]))))
    return list(dict.fromkeys(targets))


def _core_name(phrase: str) -> str | None:
    """The metric words of a phrase ('adjusted EPS' → 'eps'), for naming growth rates."""
    match = _last(vocabulary().any_metric, phrase)
    if match is None:
        return None
    name = match.group(0).lower()
    return "eps" if re.search(r"\beps\b|per share", name) else name


_PERIOD_WORDS = re.compile(r"\s*\b(?:(?:for|in|during|of)\s+)?(?:the\s+)?"
                           r"(?:(?:full[- ]year\s+|fiscal(?:\s+year)?\s+|fy\s*)?(?:19|20)\d{2}\b"
                           r"|(?:this|next|the current)\s+(?:fiscal\s+)?year\b)", re.I)


_BASIS_WORD = r"(?:non-gaap|gaap|adjusted|reported|as reported)"
_LEADING_BASIS = re.compile(rf"^\s*(?:{_BASIS_WORD}\s+and\s+{_BASIS_WORD}|non-gaap|gaap)\s+", re.I)


def _detail(phrase: str) -> str:
    """The name of an 'other' measure: its words, without the period it is guided for ('Adjusted EBITDA for 2026'
    is adjusted_ebitda; the row's period says 2026)."""
    text = slug(_LEADING_BASIS.sub("", _PERIOD_WORDS.sub(" ", phrase))) or slug(phrase)
    return "_".join(text.split("_")[-8:]) or "unnamed"


_LEADING_PREPOSITION = re.compile(r"^\s*(?:(?:to|for|on|that)\b\s*)*", re.I)


def _without_tail(text: str) -> str:
    """Text without the connectors and verbs at its end ('is expected to be in a range of')."""
    while True:
        trimmed = _CONNECTOR_TAIL.sub("", text)
        if trimmed == text:
            return text
        text = trimmed


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2}", _without_tail(text)))


def _trim(before: str) -> str:
    """The subject words just before a value: those after a lead-in's colon ('our full-year view: net sales of'),
    connectors and verbs at the end dropped, at most 10 words."""
    after_colon = re.split(r"[:;]\s|,\s+including\s+(?=[^,]*$)", before)[-1]  # '..., including revenues of'
    text = after_colon if _has_words(after_colon) else before
    verbs = list(vocabulary().forward.finditer(text))
    if verbs:  # "we are guiding to revenue of": a metric named after the verb is the subject ("to be an income
        # of" describes the value, not a subject)
        after_verb = _LEADING_PREPOSITION.sub("", text[verbs[-1].end():])
        if (vocabulary().any_metric.search(after_verb) or vocabulary().measure_noun.search(after_verb)
                or vocabulary().growth.search(after_verb)) and not re.match(r"\s*be\b", after_verb, re.I):
            text = after_verb
    words = _without_tail(text).split()
    return _CONNECTOR_HEAD.sub("", " ".join(words[-10:]))


_SIGN_ALTERNATIVE = re.compile(r"\(\s*(?:loss|losses|deficit)\s*\)", re.I)


def is_negative(text: str, clause: Clause, value: Value, value_start: int, metric: str) -> bool:
    """A headwind, adverse impact, decline or loss: the stated amount is negative."""
    words = vocabulary()
    before = _SIGN_ALTERNATIVE.sub(" ", text[clause.start:value_start])  # 'Earnings (Loss) per share': either sign
    if metric == "other_income_expense":
        return bool(words.expense_of.search(before[-40:]))
    if words.negative_before.search(before):
        return True
    after = text[value.end:value.end + 40].strip(" ,")
    if words.negative_after.match(after):
        return True  # '5% decline'
    return bool(re.match(rf"(?:(?!(?:an?|the)\b)[A-Za-z/&-]+\s+){{1,2}}?(?:{words.negative_after.pattern})",
                         text[value.end:value.end + 40].lstrip(), re.I))  # 'a 3% to 4% currency headwind'


# 'reported' naming a basis before a measure ('adjusted and reported operating margins'), not a past verb
_BASIS_ADJECTIVE = re.compile(r"\breported(?=(?:\s+and\s+(?:adjusted|non-gaap|gaap))?\s+[a-z\-]+\s+(?:margins?|"
                              r"revenues?|sales|eps|earnings|income|expenses?|growth|tax))|(?<=\band\s)reported\b",
                              re.I)


def is_historical(text: str, value_start: int) -> bool:
    """A past-tense verb between the sentence start and the value, with no forward verb after it."""
    words = vocabulary()
    before = text[:value_start]
    past = _last(words.past, _BASIS_ADJECTIVE.sub(lambda m: " " * len(m.group(0)), before))
    if past is None:
        return False
    return not any(not words.forward_noun.fullmatch(m.group(0)) for m in words.forward.finditer(before[past.end():]))


def after_comparison(text: str, clause: Clause, position: int) -> bool:
    """The position lies after a comparison marker ('compared with', 'previously', 'from $') of its clause."""
    if any(m.start() < position for m in vocabulary().comparison.finditer(text, clause.start, clause.end)):
        return True
    opening = text.rfind("(", clause.start, position)
    return opening >= 0 and text.find(")", opening, position) < 0 and bool(
        re.match(r"\(\s*(?:previously|prior|was|from)", text[opening:], re.I))
