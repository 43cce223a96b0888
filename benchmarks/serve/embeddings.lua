-- wrk script for aperture serve's POST /v1/embeddings (benchmarks/serve/run.sh runs it): sends the JSON body in the
-- file $BODY_FILE on every request of a closed loop (each of wrk's connections sends the next request as soon as
-- its answer arrives, so connections = concurrency), and prints one machine-readable line when the run ends:
--   RESULT requests seconds p50_ms p99_ms non2xx socket_errors
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"), "BODY_FILE must name a readable JSON body")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
