"""Dates of state identity that every layer needs, defined once.

Why in the base layer: the curated events (evidence), the UNGA record's single "Russia" seat
(record) and the figures all split the Soviet Union from Russia at the same day, so the day
lives below all of them. Each date says what it relies on.
"""

from __future__ import annotations

import datetime as dt

#: The Soviet Union ceased to exist on 26 December 1991 (Declaration 142-N of the Soviet of the
#: Republics); UNGA roll calls before it are Soviet votes, curated events after it are Russian.
SOVIET_END = dt.date(1991, 12, 26)

#: The RSFSR declared its state sovereignty on 12 June 1990 (Declaration of State Sovereignty)
#: and Boris Yeltsin was elected its president on 12 June 1991. A curated event may name Russia
#: (``RUS``) as an actor from the latter day; before it, the state is the Soviet Union (``SUN``).
RUSSIA_FROM = dt.date(1991, 6, 12)

#: Earliest and latest dates a curated event may carry: the sources' history starts in the
#: 1940s, and nothing in them predates modern diplomacy; a date before 1800 or in the future is
#: a typing error, not history.
EARLIEST_EVENT = dt.date(1800, 1, 1)
