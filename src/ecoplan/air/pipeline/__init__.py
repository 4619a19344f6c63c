"""Ambient-air pipeline: hourly observations → daily AQI → annual evaluation → plan values."""

from ecoplan.air.pipeline.evaluate import AirEvaluation, city_daily, evaluate_year, hourly, three_year
from ecoplan.air.pipeline.sql import DailyOptions

__all__ = ["AirEvaluation", "DailyOptions", "city_daily", "evaluate_year", "hourly", "three_year"]
