-- The executor's id of a run's worker (a Slurm job id): a restarted server re-attaches runs whose job still runs.
ALTER TABLE runs ADD COLUMN executor_job VARCHAR(100);
