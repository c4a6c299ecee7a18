-- migrate:up
-- A report.update job asks whether another event of its workflow is still waiting to be processed
-- (then that job's rebuild, which reads the history later, shows this execution too, and this one
-- skips its own: rebuild-deferral.ts). Only events in flight are indexed, so the index stays as
-- small as the backlog however long the event history grows.
CREATE INDEX amc_execution_events_in_flight_idx ON amc_execution_events (workflow_id, received_at)
  WHERE processed_at IS NULL AND failed_at IS NULL;

-- migrate:down
DROP INDEX amc_execution_events_in_flight_idx;
