-- ingest.lua -- wrk script: POST realistic pickups with unique references.
-- args: TOKEN FROM TO PREFIX [PATH]   (PATH /v1/pickups/validate: no storage;
-- /open311/v2/requests.json: the same pickups as Open311 form posts)
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
	open311 = path == "/open311/v2/requests.json"
	if open311 then
		wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
	else
		wrk.headers["Authorization"] = "Bearer " .. token
		wrk.headers["Content-Type"] = "application/json"
	end
end

-- The same pickup as GeoReport v2 sends it: api_key in the form, one item
-- per request (the service), the time window as attribute[hours].
local function form(n, c, cond)
	return string.format(
		"api_key=%s&service_request_id=%s-%d-%d&service_code=%s" ..
		"&lat=%.5f&long=%.5f&address_string=%d+High+Street%%2C+Springfield" ..
		"&description=ring+the+bell&attribute%%5Bquantity%%5D=1" ..
		"&attribute%%5Bweight_kg%%5D=40&attribute%%5Bvolume_m3%%5D=0.9" ..
		"&attribute%%5Bcondition%%5D=%s&attribute%%5Bfirst_day%%5D=%s" ..
		"&attribute%%5Blast_day%%5D=%s&attribute%%5Bhours%%5D=08%%3A00-12%%3A00",
		token, prefix, tid, n, c, 51.4 + (n % 997) / 5000,
		-0.2 + (n % 991) / 5000, n % 200 + 1, cond, from, to)
end

function request()
	n = n + 1
	local c = cats[(n % #cats) + 1]
	if open311 then
		return wrk.format("POST", path, nil,
			form(n, c, conds[(n % #conds) + 1]))
	end
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
