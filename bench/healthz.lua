-- healthz.lua -- wrk script: the no-storage ceiling, GET /healthz.
function done(summary, latency, requests)
	io.write(string.format("RESULT %d %.3f %.3f %.3f %d %d %.3f\n",
		summary.requests, summary.duration / 1e6,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.errors.status, summary.errors.connect +
		summary.errors.read + summary.errors.write +
		summary.errors.timeout, latency.max / 1000))
end
