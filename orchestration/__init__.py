"""The pipeline as a Prefect flow: generate, land, load, dbt build, BI snapshot, docs; run once or on a schedule.

Entry points: `python -m orchestration run` (one run, no server) and `python -m orchestration serve`
(the deployment on a schedule). The flow itself is `orchestration.flow.pipeline`.
"""
