"""Checks recorded responses against the OpenAPI 3.1 document (JSON Schema 2020-12).

Usage: openapi_check.py OPENAPI.json CASES.json; prints {"checked": n, "problems": [...]}.
"""
import json, sys
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
doc = json.load(open(sys.argv[1]))
cases = json.load(open(sys.argv[2]))
registry = Registry().with_resource("urn:openapi", Resource.from_contents(doc, default_specification=DRAFT202012))
problems = []
def esc(s): return s.replace("~", "~0").replace("/", "~1")
for c in cases:
    op = doc["paths"].get(c["template"], {}).get("get")
    if op is None:
        problems.append(f"{c['template']}: not documented"); continue
    responses = op["responses"]
    status = str(c["status"])
    if status not in responses:
        problems.append(f"{c['url']}: status {status} not documented ({sorted(responses)})"); continue
    resp = responses[status]
    if "$ref" in resp:
        resp = doc
        for part in op["responses"][status]["$ref"].lstrip("#/").split("/"): resp = resp[part]
    content = resp.get("content", {})
    ctype = (c["content_type"] or "").split(";")[0].strip()
    if not content:
        if c["body"] not in (None, ""): problems.append(f"{c['url']}: body where none is documented")
        continue
    keys = {k.split(";")[0].strip(): k for k in content}
    if ctype not in keys:
        problems.append(f"{c['url']}: content type {ctype!r} not documented ({sorted(content)})"); continue
    if c["body"] is None: continue
    key = keys[ctype]
    ref = "urn:openapi#/paths/" + esc(c["template"]) + "/get/responses/" + status + "/content/" + esc(key) + "/schema"
    if "$ref" in op["responses"][status]:
        ref = "urn:openapi#" + op["responses"][status]["$ref"].lstrip("#") + "/content/" + esc(key) + "/schema"
    v = Draft202012Validator({"$ref": ref}, registry=registry)
    for e in v.iter_errors(c["body"]):
        problems.append(f"{c['url']}: {e.message} at {list(e.absolute_path)[:6]}")
        break
print(json.dumps({"checked": len(cases), "problems": problems}))
