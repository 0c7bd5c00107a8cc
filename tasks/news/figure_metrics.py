"""What a news figure measures: metric (with growth/change, guidance, estimate, beat, share modifiers), segment
and basis, from the words around it (pure; the words are schemas/news_vocabulary.yaml).

Metric names are ``<measure>`` or ``<measure>_<modifier>``: revenue, segment_revenue, product_revenue, eps,
gross_margin, capex_plan, ..., ``revenue_growth_yoy``, ``segment_revenue_growth_qoq``, ``gross_margin_change_yoy``
(percentage points), ``revenue_guidance``, ``capex_plan_estimate`` (a forecast by others), ``guidance_beat``,
``guidance_beat_streak``, ``share``. A figure no word describes is ``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.news.news_vocabulary import NewsVocabulary, news_vocabulary

PLAN_MEASURES = {"spending_plan", "capex"}
PER_SHARE = {"eps", "dividend"}
SEGMENT_MEASURES = {"operating_income", "net_income"}  # results a segment can report besides revenue
PERCENT_LEVELS = {"gross_margin", "operating_margin", "tax_rate", "market_share"}  # levels stated in percent
GUIDED_MEASURES = {"revenue", "net_sales", "eps", "gross_margin", "operating_margin", "operating_expenses",
                   "operating_income", "net_income", "other_income_expense", "tax_rate", "segment_revenue"}


@dataclass(frozen=True)
class Place:
    """A figure in its sentence (folded text): where its clause starts and ends, where the figure is."""

    sentence: str
    clause_start: int
    clause_end: int
    start: int
    end: int
    unit: str
    forward_period: bool  # the figure's period lies after the article's date
    starting_value: bool  # "from X (to Y)"
    hint: str | None  # the measure the text named last before this sentence's clause
    segment: str | None  # the segment the clause (or its section) names
    compared_with: str | None = None  # "yoy"/"qoq" when a comparison period is written before it ("较第三季度")
    amount: float = 0.0  # the figure's value (a per-share measure is never billions)
    product: str | None = None  # a product line the clause names ("Azure", "Blackwell"): not the company's total
    since: int = 0  # where the stretch of text that belongs to this figure starts (after the figure before it)
    business_line: bool = False  # "Paxlovid revenues", "advertising revenue": a line of business named before it
    earlier: tuple[str, ...] = ()  # the measures named before the hint, most recent last


@dataclass(frozen=True)
class Reading:
    metric: str
    segment: str | None
    basis: str | None
    measure: str | None  # the measure word found (before modifiers), carried to the clauses that follow
    negative: bool = False  # written as a loss ("an operating loss of $5 billion"): the income is negative


def _masked(text: str, vocab: NewsVocabulary) -> str:
    return vocab.not_measures.sub(lambda m: "#" * len(m.group(0)), text)


def _change_written_before(clause_before: str, vocab: NewsVocabulary) -> bool:
    """A change verb earlier in the clause makes the rate a change: any verb with "by" right before the rate
    ("increasing its quarterly cash dividend by 150%"), or a verb, then what it changes (a determiner and a few
    words, no other figure) right before the rate ("raised its quarterly dividend 12%")."""
    if re.search(r"\bby\s*$", clause_before) and vocab.growth.search(clause_before):
        return True
    tail = clause_before[-60:]
    return any(re.fullmatch(r"\s+(?:its|the|their|our|his|her)\s+[^\d,;，。]{0,40}", tail[verb.end():])
               for verb in vocab.growth.finditer(tail))


def is_forward(text: str, vocab: NewsVocabulary | None = None) -> bool:
    """The text speaks of the future: a guidance word that is not one of its look-alikes, nor part of what others
    expected ("分析师预期的…" is an estimate of a reported period)."""
    vocab = vocab or news_vocabulary()
    for words in (vocab.guidance_exceptions, vocab.estimate):
        text = words.sub(lambda m: "#" * len(m.group(0)), text)
    return bool(vocab.guidance.search(text))


def measure_before(text: str, vocab: NewsVocabulary | None = None) -> tuple[int, str] | None:
    """(end, measure) of the measure named last in ``text`` (the longest word where two end together)."""
    vocab = vocab or news_vocabulary()
    text = _masked(text, vocab)
    best: tuple[int, int, str] | None = None
    for name, rx in vocab.measures:
        for m in rx.finditer(text):
            key = (m.end(), m.end() - m.start(), name)
            if best is None or key[:2] > best[:2]:
                best = key
    return (best[0], best[2]) if best else None


def _measure_after(text: str, vocab: NewsVocabulary) -> str | None:
    text = _masked(text, vocab)
    hits = [(m.start(), -(m.end() - m.start()), name) for name, rx in vocab.measures for m in rx.finditer(text)]
    return min(hits)[2] if hits else None


def _direction(text: str, vocab: NewsVocabulary) -> str | None:
    yoy, qoq = vocab.yoy.search(text), vocab.qoq.search(text)
    if yoy and (not qoq or yoy.start() < qoq.start()):
        return "yoy"
    return "qoq" if qoq else None


def _growth_direction(p: Place, vocab: NewsVocabulary) -> str | None:
    """yoy/qoq stated in the figure's own stretch of the clause: from the previous figure to the next one."""
    clause = p.sentence[p.clause_start:p.clause_end]
    start, end = p.start - p.clause_start, p.end - p.clause_start
    # The stretch that belongs to this figure: after it up to the next figure, else just before it.
    following = re.split(r"\d", clause[end:], maxsplit=1)[0]
    preceding = re.split(r"\d", clause[:start][::-1], maxsplit=1)[0][::-1]
    if re.search(r"(?:的|'s)\s*$", preceding):  # "较上季度的35%": the period owns the figure; no direction
        preceding = ""
    return _direction(following, vocab) or _direction(preceding, vocab)


def basis_of(p: Place, index_in_clause: int, vocab: NewsVocabulary | None = None) -> str | None:
    """GAAP / non-GAAP: the n-th of "GAAP and non-GAAP … A and B, respectively", else the nearest before."""
    vocab = vocab or news_vocabulary()
    sentence_before = p.sentence[:p.start]
    marks = sorted([(m.start(), "non_gaap") for m in vocab.non_gaap.finditer(p.sentence)] +
                   [(m.start(), "gaap") for m in vocab.gaap.finditer(p.sentence)
                    if not vocab.non_gaap.search(p.sentence[max(0, m.start() - 5):m.end()])])
    if vocab.respectively.search(p.sentence) and len(marks) > 1:
        return marks[min(index_in_clause, len(marks) - 1)][1]
    before = [kind for start, kind in marks if start < len(sentence_before)]
    earlier = list(re.finditer(r"\d", sentence_before))  # '…GAAP gross margin 72.4%, non-GAAP gross margin 72.7%'
    own = [kind for start, kind in marks if earlier and earlier[-1].end() <= start < len(sentence_before)]
    if own:
        return own[-1]  # the basis written since the figure before this one
    if len(set(before)) > 1:
        return None  # "GAAP and non-GAAP other income … is …": one figure for both
    return before[-1] if before else None


def read(p: Place, index_in_clause: int = 0) -> Reading:
    vocab = news_vocabulary()
    clause_before = p.sentence[p.clause_start:p.start]
    clause_after = p.sentence[p.end:p.clause_end]
    found = measure_before(p.sentence[max(p.since, p.clause_start):p.start], vocab) or \
        measure_before(clause_before, vocab)  # this figure's own words first, then its clause's
    written = measure_before(p.sentence[p.start:p.end], vocab)  # "30万份合约": the unit names the measure
    stock_move = p.unit == "percent" and bool(vocab.stock_moves.search(clause_before[-16:]))
    # a measure named after the figure counts only within its own few words ("393亿美元收入", not "8% after … revenue")
    after_words = re.split(r"\d|\b(?:after|as|while|when|because|since|but)\b", clause_after, maxsplit=1)[0][:24]
    measure = found[1] if found else (written[1] if written else
                                      (None if stock_move else _measure_after(after_words, vocab)))
    if measure in PER_SHARE and p.amount >= 1000:
        measure = None  # "EPS excluding the $774 million tax benefit": that amount is not per share
    if p.unit == "USD" and re.match(rf"\s*(?:{vocab.per_share.pattern})", clause_after, re.I):
        measure = "dividend" if measure == "dividend" else "eps"  # "$0.89 per share", "89 cents a share"
    if measure is None and stock_move:
        measure = "stock_price"
    if measure is None:  # the measure the text was about, unless a per-share one for an amount in the thousands
        fitting = [m for m in (*p.earlier, p.hint) if m and not (m in PER_SHARE and p.amount >= 1000)]
        measure = fitting[-1] if fitting else None
    sentence_before = p.sentence[:p.start]
    basis = basis_of(p, index_in_clause, vocab)
    # a segment named with a revenue figure makes it segment revenue; with another result measure it is kept
    segment = p.segment if measure in (None, "revenue", *SEGMENT_MEASURES) else None
    if measure in vocab.investor_measures or measure in vocab.unmodified:
        return Reading(measure, None, None, measure)
    own_words = p.sentence[max(p.since, p.clause_start):p.start]
    if p.unit in ("USD", "CNY") and re.search(
            rf"(?:{vocab.change_amounts.pattern})\s*(?:of\s+|by\s+)?(?:an?\s+)?(?:approximately\s+|about\s+|约)?$",
            own_words, re.I):
        return Reading(f"{measure or 'other'}_change_amount", None, None, measure)  # "an increase of $277 million"
    # "从260%的高峰" / "peaked at 260%": the figure is the peak (not "5% below its peak")
    peak = bool(re.match(rf"\s*的?\s*(?:{vocab.peaks.pattern})", clause_after, re.I)
                or re.search(rf"(?:{vocab.peaks.pattern})\s*(?:at|of|为|是|的)?\s*$", clause_before, re.I))
    forward = is_forward(sentence_before, vocab) or p.forward_period
    own_stretch = p.sentence[p.since:p.start]  # from the figure before this one (an estimate word is for the next)
    after_stretch = re.split(r"\d", clause_after, maxsplit=1)[0]  # "the $38.1 billion consensus"
    if vocab.estimate.search(own_stretch) or vocab.estimate.search(after_stretch[:40]):
        base = "capex_plan" if measure in PLAN_MEASURES else (measure or "other")
        if base == "revenue" and segment:
            return Reading("segment_revenue_estimate", segment, basis, measure)
        return Reading(f"{base}_estimate", None, basis, measure)
    clause = p.sentence[p.clause_start:p.clause_end]
    beat_here = bool(vocab.beat.search(clause_before))
    streak = p.unit == "count" and vocab.streak.search(p.sentence) and vocab.beat.search(p.sentence)
    if (beat_here or streak) and vocab.outlook_nouns.search(p.sentence):  # ahead of its own outlook
        kind = "guidance_beat_streak" if p.unit == "count" else "guidance_beat"
        if vocab.requirement.search(clause_before):
            kind += "_required"  # what a beat would have to be, not what it was
        return Reading(kind, None, None, measure)
    if p.unit == "percent" and vocab.share.search(clause_before) and measure != "market_share":
        return Reading("share", segment, basis, measure)
    growth_words = vocab.growth.search(clause_before[-12:]) or vocab.growth.search(clause_after[:8]) \
        or vocab.points.search(clause_after[:12]) \
        or _change_written_before(clause_before, vocab)
    direction = _growth_direction(p, vocab) or p.compared_with
    money_level = p.unit == "percent" and measure in vocab.levels and measure not in PERCENT_LEVELS
    if (p.unit in ("percent", "multiple") and (growth_words or direction or money_level) \
            and measure not in ("market_share", None)) \
            or (p.unit in ("percent", "multiple") and measure is None and direction):
        base = measure or "other"  # a rate of nothing named is not a revenue growth rate
        if base in PLAN_MEASURES:
            base = "capex_plan" if forward else "spending"
        if base == "revenue" and vocab.adjusted_words.search(p.sentence[:p.end + 40]):
            base = "revenue_adjusted"
        elif base == "revenue" and segment and not _product_of_segment(p, segment):
            base = "segment_revenue"
        elif base == "revenue" and (p.product or p.business_line):
            base = "product_revenue"
        if p.unit == "percent" and direction is None and base in vocab.from_previous:
            direction = "qoq"  # "dividend raised 150%": against the dividend declared before
        if p.unit == "percent" and direction is None and base not in vocab.levels:
            direction = "yoy"  # "revenue grew 78%": a growth rate with no stated base is year over year
        kind = "change" if base in vocab.levels or vocab.points.search(clause_after[:12]) else "growth"
        metric = f"{base}_{kind}" + (f"_{direction}" if direction else "") + ("_peak" if peak else "")
        return Reading(metric, segment, basis, measure)
    if measure in PLAN_MEASURES:
        return Reading("capex_plan" if forward else ("capex" if measure == "capex" else "spending"), None, basis,
                       measure)
    if measure == "revenue" and vocab.adjusted_words.search(p.sentence[:p.start]):
        base = "revenue_adjusted"  # "excluding Paxlovid, revenues totaled …", "operational growth": not the total
    elif measure == "revenue" and segment and not _product_of_segment(p, segment):
        base = "segment_revenue"
    elif measure == "revenue" and (p.product or p.business_line or vocab.products.search(clause)):
        base = "product_revenue"
    else:
        base = measure or "other"
    if base in GUIDED_MEASURES and forward and not p.starting_value and p.unit in ("USD", "CNY", "percent"):
        return Reading(f"{base}_guidance", segment if base in SEGMENT_MEASURES or base == "segment_revenue" else None,
                       basis, measure)
    return Reading(base, segment if base in SEGMENT_MEASURES or base == "segment_revenue" else None, basis, measure,
                   negative=base in SEGMENT_MEASURES and bool(vocab.losses.search(clause_before[-24:])))


def _product_of_segment(p: Place, segment: str) -> bool:
    """'Blackwell Data Center revenue': a product line named right before its segment is the product's figure."""
    if not p.product:
        return False
    return re.search(rf"\b{re.escape(p.product)}\s+{re.escape(segment)}\b", p.sentence, re.I) is not None
