-- ingest.lua -- wrk script: POST realistic pickups with unique references.
-- args: TOKEN FROM TO PREFIX [PATH]   (PATH /v1/pickups/validate: no storage)
local n = 0
local threads = 0
local cats = { "sofa", "fridge_freezer", "washing_machine", "mattress",
	"it_equipment", "bicycle", "textiles", "wardrobe" }
local conds = { "working", "repairable", "broken", "unknown" }

function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end

function init(args)
	token, from, to, prefix = args[1], args[2], args[3], args[4]
	path = args[5] or "/v1/pickups"
	wrk.headers["Authorization"] = "Bearer " .. token
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	n = n + 1
	local c = cats[(n % #cats) + 1]
	local body = string.format(
		'{"reference":"%s-%d-%d","location":{"lat":%.5f,"lon":%.5f,' ..
		'"address":"%d High Street, Springfield"},"window":{"from":"%s",' ..
		'"to":"%s"},"time_windows":[{"start":"08:00","end":"12:00"}],' ..
		'"items":[{"category":"%s","quantity":1,"weight_kg":40,' ..
		'"volume_m3":0.9,"condition":"%s"},{"category":"textiles",' ..
		'"quantity":2}],"notes":"ring the bell"}',
		prefix, tid, n, 51.4 + (n % 997) / 5000, -0.2 + (n % 991) / 5000,
		n % 200 + 1, from, to, c, conds[(n % #conds) + 1])
	return wrk.format("POST", path, nil, body)
end

function done(summary, latency, requests)
	io.write(string.format("RESULT %d %.3f %.3f %.3f %d %d\n",
		summary.requests, summary.duration / 1e6,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.errors.status, summary.errors.connect +
		summary.errors.read + summary.errors.write +
		summary.errors.timeout))
end
