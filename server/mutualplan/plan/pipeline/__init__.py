"""The pipeline, across deals: a plan's weekly score, its status by a rule written as data, whether its
signature rests on the buyer's word, and the trend week by week. Pure: the app records and shows it."""

from mutualplan.plan.pipeline.score import WeeklyScore, WeekPoint, score_week, week_of
from mutualplan.plan.pipeline.signature import SignatureSupport, signature_support
from mutualplan.plan.pipeline.status import STATUS_RULE, DealStatus, StatusRule, status_of
from mutualplan.plan.pipeline.trend import Trend, attention_key, trend_of

__all__ = [
    "STATUS_RULE",
    "DealStatus",
    "SignatureSupport",
    "StatusRule",
    "Trend",
    "WeekPoint",
    "WeeklyScore",
    "attention_key",
    "score_week",
    "signature_support",
    "status_of",
    "trend_of",
    "week_of",
]
