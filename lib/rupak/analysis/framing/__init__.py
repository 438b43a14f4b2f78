"""How the two sources tell the same relationship: distinctive words, frames, salience, stance.

Framing is selection and salience (Entman 1993, *Journal of Communication* 43(4):51): what a
text puts in, what it leaves out, what it repeats, and how it defines the problem, diagnoses
its causes, judges it and proposes a remedy. The package answers those questions with tidy
tables a notebook can show as they are, one module per idea:

* :mod:`.text` — reading and tokenising the texts; which sources and passage unit are compared.
* :mod:`.log_odds` and :mod:`.distinctive` — Fightin' Words: which words distinguish one source
  from the other, the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi &
  Quinn (2008), as docs/methods.md#fightin-words writes it; the maths apart from the corpus.
* :mod:`.coder` — the dictionary coder of frames and stance, and sentence codes per paragraph.
* :mod:`.intercoder` — the agreement of two codings: Krippendorff's α with a bootstrap
  interval, Cohen's κ, precision, recall and F1 (docs/methods.md#reliability).
* :mod:`.coders` — the three stored codings side by side: coder1 against coder2 (hand against
  hand, first), the dictionary coder against the reconciled codes (second), whether the
  stance coder may carry a finding, and whether the findings hold under either coder.
* :mod:`.prominence` — salience: how often each source names each actor, period and frame;
  frame and stance shares.
* :mod:`.coverage` — selection: which events both sources tell and which only one
  (``evidence.csv``).
* :mod:`.metadiscourse` — hedging: how often each source hedges, boosts and evaluates
  (Hyland 1998).

Modules are named apart from the functions re-exported here (``framing.salience`` is the
function, :mod:`.prominence` its module), so that neither hides the other.

The curated framing tables (codebook, the three codings, their reconciliation, lexicon,
Entman quotes) and their checks live in :mod:`rupak.evidence.framing_tables`; :func:`frames`,
:func:`hand_codes` (default: the reconciled codes) and :func:`lexicon` are re-exported here
for convenience. Heavy libraries (wordfreq, scikit-learn,
krippendorff) are imported by the functions that use them, so importing this package is light.
"""

from __future__ import annotations

from rupak.analysis.framing.coder import (
    FIRST_CUES,
    OPPORTUNITY_CUES,
    THREAT_CUES,
    TIE_SIDES,
    about_the_ties,
    auto_code,
    codes_by_unit,
    stance_rule,
)
from rupak.analysis.framing.coders import (
    STANCE_VERSIONS,
    TENTATIVE,
    StanceCoderStatus,
    dictionary_reliability,
    findings_by_coder,
    intercoder_reliability,
    stance_coder_status,
    stance_coder_versions,
)
from rupak.analysis.framing.coverage import selection, told_by
from rupak.analysis.framing.distinctive import distinctive_terms, fightin_words
from rupak.analysis.framing.intercoder import (
    alpha_verdict,
    cohen_kappa,
    kappa_verdict,
    krippendorff_alpha,
    precision_recall_f1,
    reliability,
)
from rupak.analysis.framing.log_odds import (
    DEFAULT_PRIOR_STRENGTH,
    WORDFREQ_FLOOR,
    background_prior,
    log_odds_arrays,
    log_odds_dirichlet,
)
from rupak.analysis.framing.metadiscourse import (
    BOOSTERS,
    HEDGES,
    NEGATIVE,
    POSITIVE,
    hedging,
    passage_markers,
    sections,
)
from rupak.analysis.framing.prominence import (
    actor_mentions,
    frame_contrast,
    frame_shares,
    passage_events,
    salience,
    stance_shares,
)
from rupak.analysis.framing.summary import framing_summary
from rupak.analysis.framing.text import (
    RUN_IN_LABELS,
    SPELLING,
    STOPWORDS,
    UNITS,
    check_sources,
    chosen_sources,
    counts,
    reading,
    tokenize,
    unit_passages,
    words,
)
from rupak.evidence.framing_tables import (
    CODERS,
    entman,
    frame_reconciliation,
    frames,
    hand_codes,
    lexicon,
)

__all__ = [
    "BOOSTERS",
    "CODERS",
    "DEFAULT_PRIOR_STRENGTH",
    "FIRST_CUES",
    "HEDGES",
    "NEGATIVE",
    "OPPORTUNITY_CUES",
    "POSITIVE",
    "RUN_IN_LABELS",
    "SPELLING",
    "STANCE_VERSIONS",
    "STOPWORDS",
    "TENTATIVE",
    "THREAT_CUES",
    "TIE_SIDES",
    "UNITS",
    "WORDFREQ_FLOOR",
    "StanceCoderStatus",
    "about_the_ties",
    "actor_mentions",
    "alpha_verdict",
    "auto_code",
    "background_prior",
    "check_sources",
    "chosen_sources",
    "codes_by_unit",
    "cohen_kappa",
    "counts",
    "dictionary_reliability",
    "distinctive_terms",
    "entman",
    "fightin_words",
    "findings_by_coder",
    "frame_contrast",
    "frame_reconciliation",
    "frame_shares",
    "frames",
    "framing_summary",
    "hand_codes",
    "hedging",
    "intercoder_reliability",
    "kappa_verdict",
    "krippendorff_alpha",
    "lexicon",
    "log_odds_arrays",
    "log_odds_dirichlet",
    "passage_events",
    "passage_markers",
    "precision_recall_f1",
    "reading",
    "reliability",
    "salience",
    "sections",
    "selection",
    "stance_coder_status",
    "stance_coder_versions",
    "stance_rule",
    "stance_shares",
    "tokenize",
    "told_by",
    "unit_passages",
    "words",
]
