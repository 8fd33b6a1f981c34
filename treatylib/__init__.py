"""treatylib: sourced data, charts and lessons on the 1961 China-DPRK treaty.

>>> import treatylib
>>> treatylib.load_treaties()["treaty_id"].tolist()[:1]
['china_dprk_1961']
"""

from ._version import __version__
from .compare import (
    aligned_clauses,
    commitment_ranking,
    compare_with_scholars,
    members_on,
    obligations_if_attacked,
    provision_matrix,
    treaties_in_force,
)
from .data import (
    as_of,
    data_dir,
    load_articles,
    load_claims,
    load_events,
    load_glossary,
    load_parties,
    load_people,
    load_provisions,
    load_quiz_choices,
    load_quiz_questions,
    load_scholarly_codes,
    load_sources,
    load_treaties,
    use_data,
    validate,
)
from .lessons import LESSONS, lesson_header
from .plots import (
    OKABE_ITO,
    plot_commitment_ladder,
    plot_event_counts,
    plot_lifespans,
    plot_provisions,
    plot_timeline,
)
from .quiz import quiz
from .schema import DataError
from .widgets import (
    article_reader,
    claim_checker,
    glossary_lookup,
    pact_comparator,
    scenario_explorer,
    timeline_explorer,
)

__all__ = [
    "LESSONS",
    "OKABE_ITO",
    "DataError",
    "__version__",
    "aligned_clauses",
    "commitment_ranking",
    "compare_with_scholars",
    "members_on",
    "obligations_if_attacked",
    "provision_matrix",
    "treaties_in_force",
    "use_data",
    "as_of",
    "data_dir",
    "lesson_header",
    "load_articles",
    "load_claims",
    "load_events",
    "load_glossary",
    "load_parties",
    "load_people",
    "load_provisions",
    "load_quiz_choices",
    "load_quiz_questions",
    "load_scholarly_codes",
    "load_sources",
    "load_treaties",
    "article_reader",
    "claim_checker",
    "glossary_lookup",
    "pact_comparator",
    "plot_commitment_ladder",
    "plot_event_counts",
    "plot_lifespans",
    "plot_provisions",
    "plot_timeline",
    "quiz",
    "scenario_explorer",
    "timeline_explorer",
    "validate",
]
