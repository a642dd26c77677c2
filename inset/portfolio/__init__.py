"""The portfolio: funnel, conversion, time in stage, evidence, money and learning, at a glance."""
