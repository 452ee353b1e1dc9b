/*
 * map.js -- recircd's plan map: the plan's GeoJSON drawn with Leaflet's
 * SVG renderer.  Centres (open and closed), each route in its own colour
 * with its stop order, stops coloured by the stream their items go to,
 * deferred pickups with their reason, stops whose pickup was cancelled
 * or collected since the plan left white, a day selector, a legend, and
 * a button that saves the routes shown as GPX.
 *
 * The page holds no credentials: it reads the API with the viewer's
 * token, kept in this tab's sessionStorage.  A link may carry it in the
 * fragment (/map#token=...), which browsers never send to the server; it
 * is moved to sessionStorage and cleared from the address bar at once.
 */
(function () {
	"use strict";

	var KEY = "recircd-token";
	var ROUTE_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd",
	    "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
	    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"];
	var STREAM_COLOURS = { repair: "#2e7d32", reuse: "#1565c0",
	    recycle: "#f9a825", dispose: "#6d4c41", unknown: "#9e9e9e" };
	var SKIPPED_COLOUR = "#fff";	/* a stop cancelled since the plan */
	/* What a stop's pin means, for its popup. */
	var PINS = {
		confirmed: "day confirmed: the resident was told it",
		dispatched: "dispatched: handed to the crew"
	};
	var body = document.body;
	var map, layer, legend, features = [], plan = null;

	function $(id) { return document.getElementById(id); }

	function showError(text) {
		$("error").textContent = text;
		$("error").hidden = !text;
	}

	function takeFragmentToken() {
		var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
		if (m) {
			sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
			history.replaceState(null, "", location.pathname +
			    location.search);
		}
	}

	function token() { return sessionStorage.getItem(KEY); }

	function askToken(why) {
		if (why)
			showError(why);
		$("login").hidden = false;
		$("logout").hidden = true;
		body.dataset.state = "login";
	}

	async function api(path) {
		var r = await fetch(path, { headers: {
		    "Authorization": "Bearer " + token(),
		    "Accept": "application/json" } });
		var j = null;
		try { j = await r.json(); } catch (e) { j = null; }
		if (r.status === 401) {
			sessionStorage.removeItem(KEY);
			throw { login: true, message: "The token was refused; " +
			    "paste a valid one." };
		}
		if (!r.ok)
			throw { message: (j && j.error && j.error.message) ||
			    ("HTTP " + r.status + " for " + path) };
		return j;
	}

	function text(s) {
		var d = document.createElement("div");
		d.textContent = s == null ? "" : String(s);
		return d.innerHTML;
	}

	function routeColour(vehicles, v) {
		var i = vehicles.indexOf(v);
		return ROUTE_COLOURS[(i < 0 ? 0 : i) % ROUTE_COLOURS.length];
	}

	function stopPopup(p) {
		var w = (p.time_windows || []).map(function (t) {
			return t.start + "-" + t.end; }).join(", ") || "any time";
		return "<b>#" + text(p.pickup) + " " + text(p.reference) +
		    "</b><br>" + text(p.vehicle) + ", stop " + text(p.seq) +
		    ", ETA " + text(p.eta) + " (" + text(p.day) + ")<br>" +
		    text(p.address) + "<br>windows: " + text(w) + "<br>" +
		    text(p.items) + (p.items === 1 ? " item, " : " items, ") +
		    text(Math.round(p.weight_kg)) +
		    " kg &rarr; " + text(p.stream) +
		    (p.notes ? "<br><i>" + text(p.notes) + "</i>" : "") +
		    (skipped(p) ? "<br><b>" + text(p.status) +
		    " since the plan: skip this stop</b>" : "") +
		    (p.pinned ? "<br>" + text(PINS[p.pinned] || p.pinned) :
		    "");
	}

	/* A stop whose pickup was cancelled or collected since the plan. */
	function skipped(p) {
		return p.status && p.status !== "scheduled" &&
		    p.status !== "received";
	}

	function draw() {
		var day = $("day").value, vehicles = [], streams = {};
		var bounds = [], nroutes = 0, nstops = 0, ndeferred = 0;
		var nskipped = 0;

		if (layer)
			layer.remove();
		layer = L.layerGroup().addTo(map);
		features.forEach(function (f) {
			var p = f.properties;
			if (p.kind === "route" && (!day || p.day === day) &&
			    vehicles.indexOf(p.vehicle) < 0)
				vehicles.push(p.vehicle);
		});
		vehicles.sort();
		features.forEach(function (f) {
			var p = f.properties, g = f.geometry, ll;
			if (p.kind === "centre") {
				ll = [g.coordinates[1], g.coordinates[0]];
				L.circleMarker(ll, { radius: 9, weight: 3,
				    color: "#000", fillColor: p.used ? "#000" :
				    "#fff", fillOpacity: p.used ? 0.8 : 0.6,
				    className: "recirc-centre " + (p.used ?
				    "open" : "closed") }).bindPopup("<b>" +
				    text(p.name) + "</b><br>" + text(p.id) +
				    (p.used ? ", open" : ", not used") +
				    (p.existing ? " (running)" : " (candidate)")
				    ).addTo(layer);
				bounds.push(ll);
				return;
			}
			if (p.day && day && p.day !== day)
				return;
			if (p.kind === "route") {
				ll = g.coordinates.map(function (c) {
					return [c[1], c[0]]; });
				L.polyline(ll, { color: routeColour(vehicles,
				    p.vehicle), weight: 4, opacity: 0.85,
				    className: "recirc-route" }).bindPopup("<b>" +
				    text(p.vehicle) + "</b> " + text(p.day) +
				    "<br>from " + text(p.centre) + " " +
				    text(p.start) + "-" + text(p.end) + ", " +
				    text(p.stops) + " stops, " +
				    text(Math.round(p.km)) + " km").addTo(layer);
				nroutes++;
				bounds = bounds.concat(ll);
			} else if (p.kind === "stop") {
				ll = [g.coordinates[1], g.coordinates[0]];
				streams[p.stream] = true;
				L.circleMarker(ll, { radius: 7, weight: 2,
				    color: routeColour(vehicles, p.vehicle),
				    fillColor: skipped(p) ? SKIPPED_COLOUR :
				    STREAM_COLOURS[p.stream] ||
				    STREAM_COLOURS.unknown, fillOpacity: 0.95,
				    className: "recirc-stop" + (skipped(p) ?
				    " skipped" : "") })
				    .bindTooltip(String(p.seq), { permanent: true,
				    direction: "right", className: "seq",
				    offset: [6, 0] })
				    .bindPopup(stopPopup(p)).addTo(layer);
				nstops++;
				nskipped += skipped(p) ? 1 : 0;
				bounds.push(ll);
			} else if (p.kind === "deferred") {
				ll = [g.coordinates[1], g.coordinates[0]];
				L.circleMarker(ll, { radius: 7, weight: 2,
				    dashArray: "3 3", color: "#b00020",
				    fillColor: "#fff", fillOpacity: 0.9,
				    className: "recirc-deferred" }).bindPopup(
				    "<b>Deferred: #" + text(p.pickup) + " " +
				    text(p.reference) + "</b><br>reason: " +
				    text(p.reason) + "<br>" + text(p.address))
				    .addTo(layer);
				ndeferred++;
				bounds.push(ll);
			}
		});
		if (bounds.length)
			map.fitBounds(bounds, { padding: [20, 20] });
		drawLegend(vehicles, streams, nskipped);
		$("summary").textContent = nroutes + " routes, " + nstops +
		    " stops, " + ndeferred + " deferred";
		body.dataset.routes = nroutes;
		body.dataset.stops = nstops;
		body.dataset.deferred = ndeferred;
		/* the GPX of what is shown: the day chosen, or every day */
		$("gpx").dataset.href = "/v1/plans/" + plan.id +
		    "/routes?format=gpx" + (day ? "&day=" + day : "");
		$("gpx").hidden = nroutes === 0;
		body.dataset.state = "drawn";
	}

	/* Save the routes shown as GPX, for a crew's navigator: fetched with
	 * the token (a plain link would not carry it), saved from a Blob. */
	async function saveGpx() {
		var path = $("gpx").dataset.href, r, a;

		try {
			r = await fetch(path, { headers: {
			    "Authorization": "Bearer " + token() } });
			if (!r.ok)
				throw { message: "HTTP " + r.status + " for " +
				    path };
			a = document.createElement("a");
			a.href = URL.createObjectURL(await r.blob());
			a.download = "plan-" + plan.id + ($("day").value ?
			    "-" + $("day").value : "") + ".gpx";
			document.body.appendChild(a);
			a.click();
			a.remove();
			setTimeout(function () { URL.revokeObjectURL(a.href); },
			    1000);
		} catch (e) {
			showError(e.message || String(e));
		}
	}

	function drawLegend(vehicles, streams, nskipped) {
		if (legend)
			legend.remove();
		legend = L.control({ position: "bottomright" });
		legend.onAdd = function () {
			var d = L.DomUtil.create("div", "legend"), h = "";
			h += "<h4>Centres</h4><div><span class=dot " +
			    "style='background:#000'></span>open</div>" +
			    "<div><span class=dot style='background:#fff'>" +
			    "</span>not used</div>";
			h += "<h4>Vehicles</h4>";
			vehicles.forEach(function (v) {
				h += "<div><span class=swatch style='background:" +
				    routeColour(vehicles, v) + "'></span>" +
				    text(v) + "</div>";
			});
			h += "<h4>Streams</h4>";
			Object.keys(STREAM_COLOURS).forEach(function (s) {
				if (streams[s] || s !== "unknown")
					h += "<div><span class=dot style=" +
					    "'background:" + STREAM_COLOURS[s] +
					    "'></span>" + s + "</div>";
			});
			if (nskipped)
				h += "<h4>Since the plan</h4><div><span " +
				    "class=dot style='background:" +
				    SKIPPED_COLOUR + ";border:1px solid #555'>" +
				    "</span>cancelled or collected: skip</div>";
			h += "<h4>Deferred</h4><div><span class=dot style=" +
			    "'border:2px dashed #b00020'></span>not planned " +
			    "(click for the reason)</div>";
			d.innerHTML = h;
			return d;
		};
		legend.addTo(map);
	}

	function fillDays() {
		var sel = $("day"), from, closed, i, d, o;

		while (sel.options.length > 1)
			sel.remove(1);
		if (!plan || !plan.horizon)
			return;
		from = new Date(plan.horizon.from + "T00:00:00Z");
		closed = plan.horizon.closed || [];
		for (i = 0; i < plan.horizon.days; i++) {
			d = new Date(from.getTime() + i * 86400000);
			o = document.createElement("option");
			o.value = o.textContent = d.toISOString().slice(0, 10);
			/* closed_days: nothing is collected, nothing to show */
			if (closed.indexOf(o.value) >= 0) {
				o.textContent += " (closed)";
				o.disabled = true;
			}
			sel.appendChild(o);
		}
	}

	async function load() {
		var id = body.dataset.plan, geo;

		showError("");
		if (!token())
			return askToken("");
		$("login").hidden = true;
		$("logout").hidden = false;
		body.dataset.state = "loading";
		try {
			plan = await api(id ? "/v1/plans/" + id :
			    "/v1/plans/current");
			$("title").textContent = "plan " + plan.id + " (" +
			    plan.state + ")";
			fillDays();
			geo = await api("/v1/plans/" + plan.id +
			    "/routes?format=geojson");
			features = geo.features || [];
			draw();
		} catch (e) {
			if (e.login)
				return askToken(e.message);
			showError(e.message || String(e));
			body.dataset.state = "error";
		}
	}

	function init() {
		var tiles = body.dataset.tiles;

		takeFragmentToken();
		if (typeof L === "undefined") {
			showError("Leaflet did not load: install libjs-leaflet " +
			    "on the daemon's host, or set map_leaflet.");
			body.dataset.state = "error";
			return;
		}
		map = L.map("map", { preferCanvas: false }).setView(
		    [51.45, -2.59], 11);
		if (tiles)
			L.tileLayer(tiles, { maxZoom: 19, attribution:
			    body.dataset.attribution }).addTo(map);
		$("day").addEventListener("change", draw);
		$("gpx").addEventListener("click", saveGpx);
		$("login").addEventListener("submit", function (ev) {
			ev.preventDefault();
			sessionStorage.setItem(KEY, $("token").value.trim());
			$("token").value = "";
			load();
		});
		$("logout").addEventListener("click", function () {
			sessionStorage.removeItem(KEY);
			layer && layer.remove();
			$("gpx").hidden = true;
			askToken("");
		});
		load();
	}

	init();
}());
