"""Scorecard pages, one module per area: rules.py (rules, onboarding, editor), agent.py (agent home,
explain my score, goals), team.py (team dashboard, compare, agent detail, change events, alerts)."""
