#!/usr/bin/env python3
"""gpx-lines.py -- a GPX 1.1 document on stdin as lines a test compares.

  wpt NAME TYPE
  route NAME-FIRST-WORD NAME-SECOND-WORD FIRST-POINT-NAME   (vehicle, day, centre)
  stop SEQ REFERENCE LAT LON TIME   (lat and lon in millionths, rounded)
  desc REFERENCE DESCRIPTION
  end LAST-POINT-NAME
  track NAME POINTS

A document that is not well-formed XML, not GPX 1.1, or whose elements
are out of the schema's order prints "ERROR why".
"""
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.topografix.com/GPX/1/1}"
# the schema's order of a point's children that we write
PT_ORDER = ["time", "name", "desc", "type"]


def text(e, tag):
    c = e.find(NS + tag)
    return c.text if c is not None and c.text is not None else ""


def order_ok(e, order):
    seen = [c.tag[len(NS):] for c in e if c.tag.startswith(NS)]
    idx = [order.index(t) for t in seen if t in order]
    return idx == sorted(idx)


def main():
    try:
        root = ET.parse(sys.stdin).getroot()
    except ET.ParseError as e:
        print("ERROR not well-formed: %s" % e)
        return 0
    if root.tag != NS + "gpx" or root.get("version") != "1.1":
        print("ERROR not GPX 1.1: %s version %s" % (root.tag,
                                                   root.get("version")))
        return 0
    if not order_ok(root, ["metadata", "wpt", "rte", "trk"]):
        print("ERROR the document's elements are out of order")
    for w in root.findall(NS + "wpt"):
        print("wpt %s %s" % (text(w, "name"), text(w, "type")))
    for r in root.findall(NS + "rte"):
        if not order_ok(r, ["name", "desc", "number", "rtept"]):
            print("ERROR a route's elements are out of order")
        pts = r.findall(NS + "rtept")
        name = text(r, "name").split(" ")
        print("route %s %s %s" % (name[0], name[1] if len(name) > 1 else "",
                                  text(pts[0], "name") if pts else ""))
        for p in pts[1:-1]:
            if not order_ok(p, PT_ORDER):
                print("ERROR a point's elements are out of order")
            seq, _, ref = text(p, "name").partition(" ")
            print("stop %s %s %d %d %s" % (
                seq, ref, round(float(p.get("lat")) * 1e6),
                round(float(p.get("lon")) * 1e6), text(p, "time")))
            print("desc %s %s" % (ref, text(p, "desc")))
        print("end %s" % (text(pts[-1], "name") if pts else ""))
    for t in root.findall(NS + "trk"):
        print("track %s %d" % (text(t, "name"),
                               len(t.findall(NS + "trkseg/" + NS + "trkpt"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
