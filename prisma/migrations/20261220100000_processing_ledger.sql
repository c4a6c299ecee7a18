-- migrate:up
-- The processing ledger: what became of accepted work, so that nothing accepted is lost to an
-- outage or a dead process. The re-drive sweeper (libs/redrive) re-queues what did not finish;
-- a re-sent AMC event for a failed execution re-drives it instead of answering "duplicate".

-- report.update per accepted event: finished (processed_at) or failed after its last attempt
-- (failed_at, with the reason and whether the cause was transient: an outage or a dead process).
ALTER TABLE amc_execution_events
  ADD COLUMN processed_at      timestamptz,
  ADD COLUMN failed_at         timestamptz,
  ADD COLUMN failure_reason    text,
  ADD COLUMN failure_transient boolean,
  -- Times the event was queued again by the sweeper, a re-send or `jobs redrive` (capped).
  ADD COLUMN redrive_count     integer NOT NULL DEFAULT 0,
  -- When the sweeper last looked at it: an unfinished event is checked once per interval, not every run.
  ADD COLUMN swept_at          timestamptz;

-- Events processed before this ledger existed: an execution row means report.update ran.
UPDATE amc_execution_events e SET processed_at = x.created_at
FROM workflow_executions x
WHERE e.outcome = 'accepted' AND x.amc_instance_id = e.amc_instance_id AND x.amc_execution_id = e.amc_execution_id
  AND x.error_code IS DISTINCT FROM 'PROCESSING_FAILED';
UPDATE amc_execution_events e SET failed_at = x.updated_at, failure_reason = x.error, failure_transient = false
FROM workflow_executions x
WHERE e.outcome = 'accepted' AND x.amc_instance_id = e.amc_instance_id AND x.amc_execution_id = e.amc_execution_id
  AND x.error_code = 'PROCESSING_FAILED';

-- The sweeper: unfinished events that may need re-driving, least recently looked at first. Partial,
-- so finished and permanently failed events (nearly all rows) are not in it.
CREATE INDEX amc_execution_events_unfinished_idx ON amc_execution_events ((coalesce(swept_at, received_at)))
  WHERE outcome = 'accepted' AND processed_at IS NULL AND (failed_at IS NULL OR failure_transient);

-- insight.generate per (configuration, execution): requested by the report service, finished by
-- the insight worker. Bookkeeping of the pipeline, never read as a user (like the event inbox, no
-- grant to app_user).
CREATE TABLE insight_generations (
  report_configuration_id uuid NOT NULL REFERENCES report_configurations(id) ON DELETE CASCADE,
  execution_id            uuid NOT NULL REFERENCES workflow_executions(id) ON DELETE CASCADE,
  -- The job that last asked for it (a refresh after a replayed older window has its own id).
  job_id                  text NOT NULL,
  status                  text NOT NULL DEFAULT 'queued'
    CONSTRAINT insight_generations_status_check CHECK (status IN ('queued', 'completed', 'failed')),
  failure_reason          text,
  failure_transient       boolean,
  redrive_count           integer NOT NULL DEFAULT 0,
  requested_at            timestamptz NOT NULL DEFAULT now(),
  finished_at             timestamptz,
  swept_at                timestamptz,
  PRIMARY KEY (report_configuration_id, execution_id)
);
-- An execution's generations (a re-sent event re-drives the failed ones; ON DELETE CASCADE).
CREATE INDEX insight_generations_execution_idx ON insight_generations (execution_id);
-- The sweeper: generations queued or failed transiently, least recently looked at first.
CREATE INDEX insight_generations_unfinished_idx ON insight_generations ((coalesce(swept_at, requested_at)))
  WHERE status = 'queued' OR (status = 'failed' AND failure_transient);

-- delivery.send per deliveries row: its status is the ledger (pending / sending unfinished); the
-- sweeper counts its re-drives and when it last looked, as for the tables above.
ALTER TABLE deliveries
  ADD COLUMN redrive_count integer NOT NULL DEFAULT 0,
  ADD COLUMN swept_at      timestamptz;
-- The sweeper: deliveries not yet sent, skipped or failed, least recently looked at first.
CREATE INDEX deliveries_unfinished_idx ON deliveries ((coalesce(swept_at, created_at))) WHERE status IN ('pending', 'sending');

-- report_exports: each render's claim gets the next number, never given back (unlike attempts,
-- which an outage or a shutdown returns). It fences renders: only the latest claim may complete
-- the export, and a later claim stores under its own key, so a render that lost its lock and kept
-- going (a starved event loop, a released job in a dying process) can never overwrite the file of
-- the one that completed.
ALTER TABLE report_exports ADD COLUMN render_claim integer NOT NULL DEFAULT 0;

-- migrate:down
ALTER TABLE report_exports DROP COLUMN render_claim;
DROP INDEX deliveries_unfinished_idx;
ALTER TABLE deliveries DROP COLUMN redrive_count, DROP COLUMN swept_at;
DROP TABLE insight_generations;
DROP INDEX amc_execution_events_unfinished_idx;
ALTER TABLE amc_execution_events
  DROP COLUMN processed_at,
  DROP COLUMN failed_at,
  DROP COLUMN failure_reason,
  DROP COLUMN failure_transient,
  DROP COLUMN redrive_count,
  DROP COLUMN swept_at;
