"""A synthetic national portfolio, for trying Inset at scale (`inset generate`).

Organisations of every kind across the nine English regions, projects on the themes of
seeds/themes.json narrowing through the stages (about 45% IDEA, 28% PILOT, 17% EVALUATION,
10% SCALE), most ACTIVE, some ON_HOLD, about 15% STOPPED with their lessons, with costs,
benefits, evidence, outcomes and observations and a consistent history of gate decisions.
`vocabulary` and `topics` hold the fixed text, `records` and `lifecycle` build one
project's rows, `writer` puts them in the database.
"""

from inset.generator.writer import GenerateError, Summary, generate_portfolio, themes_from_file

__all__ = ["GenerateError", "Summary", "generate_portfolio", "themes_from_file"]
