#!/usr/bin/env python3
"""openapi-check.py -- check recorded replies against doc/openapi.json.

Usage: openapi-check.py SPEC LOG

LOG has one JSON object a line, as tests/lib.sh's api() records them when
API_LOG is set: {"method", "path" (with its query), "status",
"content_type", "body" (text)}.  For each reply: the spec must have the
path (a {parameter} matches one segment; a literal segment wins over a
parameter; a path it does not have must be refused, a 4xx with an
error in one of the spec's shapes), the method (an
undocumented one must be a 404 or 405), the status, and the reply's
content type among those documented; a JSON reply (application/json, or
a type ending in +json) must be JSON that its schema accepts (JSON Schema
2020-12, as OpenAPI 3.1 has it, with the spec's components for $ref),
with no member the schema does not list (see close()).

A line may instead be a request the daemon sent to a webhook:
{"webhook" (the name under the spec's webhooks), "delivery",
"content_type", "headers" {name: value}, "body"}, checked against that
webhook's headers and request body.

Prints a line a reply: "PASS METHOD PATH STATUS" or
"FAIL METHOD PATH STATUS: why".  Exit 0; 2 when it cannot run.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("openapi-check: python3-jsonschema is not installed",
          file=sys.stderr)
    sys.exit(2)


def match(spec, path):
    """The spec's template for path (no query), or None."""
    segs = path.split("/")
    best, best_lit = None, -1
    for tmpl in spec["paths"]:
        t = tmpl.split("/")
        if len(t) != len(segs):
            continue
        lit = 0
        for a, b in zip(t, segs):
            if a.startswith("{") and a.endswith("}"):
                if b == "":
                    break
            elif a.endswith(".json") and "{" in a:
                # "{service_code}.json"
                if not b.endswith(".json") or b == ".json":
                    break
            elif a != b:
                break
            else:
                lit += 1
        else:
            if lit > best_lit:
                best, best_lit = tmpl, lit
    return best


def close(spec):
    """The spec with every response object closed: where a schema lists
    properties and says nothing of others, a member it does not list is
    an error (unevaluatedProperties, which sees through allOf).  Schemas
    that are parts of an allOf, or the if, then or else of a condition,
    are left open, as the whole closes them.
    The spec itself leaves replies open so that clients take new members
    in their stride; the tests hold the server to what it documents."""
    parts = set()

    def refs(o, in_allof):
        if isinstance(o, dict):
            if in_allof and "$ref" in o:
                parts.add(o["$ref"])
            for k, v in o.items():
                refs(v, k == "allOf")
        elif isinstance(o, list):
            for v in o:
                refs(v, in_allof)
    refs(spec, False)

    def walk(o, part):
        if isinstance(o, dict):
            if (not part and "properties" in o and
                    "additionalProperties" not in o and
                    "unevaluatedProperties" not in o):
                o["unevaluatedProperties"] = False
            for k, v in o.items():
                if k == "allOf":
                    for x in v:
                        walk(x, True)
                elif k in ("if", "then", "else", "not"):
                    # conditions on the whole, not shapes of it
                    walk(v, True)
                else:
                    walk(v, False)
        elif isinstance(o, list):
            for v in o:
                walk(v, False)
    for name, sch in spec["components"]["schemas"].items():
        walk(sch, "#/components/schemas/" + name in parts)
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict):
                walk(op.get("responses", {}), False)
    return spec


def deref(spec, obj):
    """obj, following a "$ref" into the spec."""
    while isinstance(obj, dict) and "$ref" in obj:
        ref = obj["$ref"]
        if not ref.startswith("#/"):
            raise ValueError("external $ref " + ref)
        obj = spec
        for part in ref[2:].split("/"):
            obj = obj[part]
    return obj


# The spec's two shapes of an error (the API's own, and Open311's).
ERRORS = {"anyOf": [{"$ref": "#/components/schemas/Error"},
                    {"$ref": "#/components/schemas/Open311Error"}]}


def check_webhook(spec, validator_for, rec):
    """A request the daemon sent to a webhook (rec: webhook, the name of
    the spec's webhook; content_type, body, and the headers recorded)."""
    hook = spec.get("webhooks", {}).get(rec["webhook"])
    if hook is None or "post" not in hook:
        return "no webhook %s in the spec" % rec["webhook"]
    op = hook["post"]
    for prm in op.get("parameters", []):
        prm = deref(spec, prm)
        if prm.get("in") != "header":
            continue
        v = rec.get("headers", {}).get(prm["name"])
        if v is None:
            if prm.get("required"):
                return "header %s missing" % prm["name"]
            continue
        why = check_body(spec, validator_for, {"method": "POST",
                         "body": json.dumps(v)}, prm.get("schema"))
        if why is not None:
            return "header %s: %s" % (prm["name"], why)
    content = op["requestBody"]["content"]
    ctype = (rec.get("content_type") or "").split(";")[0].strip().lower()
    if ctype not in content:
        return "content type %s, documented %s" % (
            ctype or "(none)", ", ".join(sorted(content)))
    return check_body(spec, validator_for, rec,
                      content[ctype].get("schema"))


def check(spec, validator_for, rec):
    if "webhook" in rec:
        return check_webhook(spec, validator_for, rec)
    method = rec["method"].lower()
    path = rec["path"].split("?", 1)[0]
    status = str(rec["status"])
    tmpl = match(spec, path)
    if tmpl is None:
        # a path the spec does not have is refused, with an error in one
        # of the spec's shapes (Open311's under /open311/)
        if not status.startswith("4"):
            return "no such path in the spec, yet status %s" % status
        return check_body(spec, validator_for, rec, ERRORS)
    item = spec["paths"][tmpl]
    if method == "head":
        method = "get"
    if method not in item:
        # an undocumented method is refused, the same way
        if status not in ("404", "405"):
            return "method %s is not documented for %s, yet status %s" % (
                method.upper(), tmpl, status)
        return check_body(spec, validator_for, rec, ERRORS)
    responses = item[method].get("responses", {})
    resp = responses.get(status, responses.get("default"))
    if resp is None:
        return "status %s is not documented for %s %s" % (
            status, method.upper(), tmpl)
    resp = deref(spec, resp)
    content = resp.get("content", {})
    ctype = (rec.get("content_type") or "").split(";")[0].strip().lower()
    if not content or rec["method"].upper() == "HEAD":
        return None
    if ctype not in content:
        return "content type %s, documented %s" % (
            ctype or "(none)", ", ".join(sorted(content)))
    if ctype != "application/json" and not ctype.endswith("+json"):
        return None
    return check_body(spec, validator_for, rec,
                      content[ctype].get("schema"))


def check_body(spec, validator_for, rec, schema):
    """Why rec's body is not JSON that schema accepts, or None."""
    if rec.get("method", "").upper() == "HEAD":
        return None
    try:
        body = json.loads(rec["body"])
    except ValueError as e:
        return "the body is not JSON: %s" % e
    if schema is None:
        return None
    v = validator_for(schema)
    errs = list(v.iter_errors(body))
    # the deepest first: an unknown member of an item also makes the
    # items "unevaluated" at the top
    errs.sort(key=lambda e: -len(e.absolute_path))
    return "; ".join("at %s: %s" % (
        "/".join(str(p) for p in e.absolute_path) or "(top)",
        e.message[:200]) for e in errs[:3]) or None


def main():
    if len(sys.argv) != 3:
        print("usage: openapi-check.py SPEC LOG", file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        spec = close(json.load(f))
    cls = jsonschema.Draft202012Validator

    def validator_for(schema):
        # The spec's components in the root, so that its "$ref"s resolve
        # the same in every jsonschema, with or without RefResolver.
        root = {"components": spec["components"], "allOf": [schema]}
        return cls(root, format_checker=cls.FORMAT_CHECKER)

    with open(sys.argv[2]) as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if "webhook" in rec:
                what = "webhook %s delivery %s" % (rec["webhook"],
                                                   rec.get("delivery"))
            else:
                what = "%s %s %s" % (rec["method"], rec["path"],
                                     rec["status"])
            why = check(spec, validator_for, rec)
            print(("PASS " + what) if why is None else
                  ("FAIL %s: %s" % (what, why)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
