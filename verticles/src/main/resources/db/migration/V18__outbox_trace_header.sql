-- The X-Ray trace header of the request that wrote the row (Root=1-...;Parent=...;Sampled=1), which the relay hands
-- to the workflow the row starts (StartExecution's traceHeader), so that a purchase's trace runs from the load
-- balancer through Step Functions into the Lambdas. The relay may run on another backend, later: the header travels
-- with the row. Null when the row was written outside a request (a sweeper, a timer). 256 is Step Functions' limit.
ALTER TABLE outbox ADD COLUMN trace_header text CHECK (length(trace_header) <= 256);
