"""Migration 0009 rewrites the rows stored before it in the engine's form of a row's figures."""

import json
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

from scorecards.choices import MetricCode
from scorecards.engine.rows import metric_figures_json
from scorecards.scoring import DayScore, MetricResult

migration = import_module("scorecards.migrations.0009_score_rows_figures")


def test_the_migration_knows_every_metric_in_catalogue_order():
    assert list(migration.METRIC_CODES) == list(MetricCode.values)


def test_old_figures_become_the_ones_the_engine_writes_now():
    columns = {f"{code}_num": Decimal("0.0000") for code in MetricCode.values}
    columns |= {f"{code}_den": Decimal("0.0000") for code in MetricCode.values}
    columns |= {"fcr_num": Decimal("2.0000"), "fcr_den": Decimal("3.0000")}
    columns |= {"first_response_minutes_num": Decimal("220.8500"), "first_response_minutes_den": 2}
    old = SimpleNamespace(
        metric_scores={"fcr": {"value": "66.67", "score": "66.67"}, "csat": {}, "qa": "junk"},
        **columns,
    )
    stats = {code: (columns[f"{code}_num"], columns[f"{code}_den"]) for code in MetricCode.values}
    engine = metric_figures_json(
        score=DayScore(
            total=None,
            band="",
            metrics={
                "fcr": MetricResult(
                    Decimal(2), Decimal(3), Decimal("66.666666"), Decimal("66.666666")
                )
            },
        ),
        stats=stats,
    )

    rewritten = migration._figures(old)

    assert rewritten == json.loads(engine)
    assert list(rewritten) == list(MetricCode.values)
    assert rewritten["first_response_minutes"] == {
        "value": None,
        "score": None,
        "num": 220.85,
        "den": 2.0,
    }


text_migration = import_module("scorecards.migrations.0010_score_rows_api_metrics_text")


def test_stored_figures_become_the_text_the_engine_writes_now():
    stats = {code: (Decimal("0.0000"), Decimal("0.0000")) for code in MetricCode.values}
    stats["first_response_minutes"] = (Decimal("220.8500"), Decimal(2))
    stats["fcr"] = (Decimal(2), Decimal(3))
    engine = metric_figures_json(
        score=DayScore(
            total=None,
            band="",
            metrics={
                "fcr": MetricResult(Decimal(2), Decimal(3), Decimal("100"), Decimal("66.666666"))
            },
        ),
        stats=stats,
    )
    # As jsonb returned them: keys in an order of its own.
    stored = dict(reversed(json.loads(engine).items()))

    assert list(text_migration.METRIC_CODES) == list(MetricCode.values)
    assert text_migration._text(stored) == engine
    assert '"fcr":{"value":100.0,"score":66.67,"num":2.0,"den":3.0}' in engine
    assert '"first_response_minutes":{"value":null,"score":null,"num":220.85,"den":2.0}' in engine
