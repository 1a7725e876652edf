-- bpfql serve's metrics: each a standing query whose window closes every 10 seconds.
-- GROUP BY keys become labels; count/sum counters (a sum that can be negative a gauge of its
-- running total), min/max/avg gauges, hist a histogram, quantiles a summary (see README,
-- "Serving metrics").
CREATE METRIC execs AS
  SELECT comm, count(*) AS total FROM exec GROUP BY comm EVERY 10s;

CREATE METRIC syscalls AS
  SELECT syscall, count(*) AS total, hist(latency_ns) AS latency_ns, p99(latency_ns) AS p99_ns
  FROM syscalls GROUP BY syscall EVERY 10s;
