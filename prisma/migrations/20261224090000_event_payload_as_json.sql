-- migrate:up
-- The accepted event (with its inline result rows) is written once by the gateway and read whole
-- once by the report service, never queried inside: jsonb's binary conversion of ~20 kB on every
-- insert was the gateway's costliest statement in the storm bench. `json` keeps the text the
-- gateway validated (its request hygiene refuses NUL characters and lone surrogates, as jsonb did).
ALTER TABLE amc_execution_events ALTER COLUMN payload TYPE json USING payload::json;

-- migrate:down
ALTER TABLE amc_execution_events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
