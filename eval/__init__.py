"""Evaluation harness behind ``stance eval``: scores, baselines, reports (see eval/README.md)."""

#: The two classification tasks, in report order.
TASKS = ("stance", "speaker_group")
