"""Checks recorded responses against the OpenAPI 3.1 document (JSON Schema 2020-12).

Usage: openapi_check.py OPENAPI.json CASES.json; prints {"checked": n, "problems": [...]}.

Each case is {method, template, url, status, content_type, headers, body}: the operation is
looked up by template and method; its status must be documented, the content type must be one the
status documents, a JSON body must validate against that media type's schema, and the documented
response headers must be present when `required` and valid against their schema when present.
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
def pointer(ref): return ref.lstrip("#")
def resolve(obj):
    """Follows a local `$ref` (responses and headers are often references); returns (object, JSON pointer)."""
    if "$ref" not in obj: return obj, None
    target = doc
    for part in pointer(obj["$ref"]).strip("/").split("/"): target = target[part.replace("~1", "/").replace("~0", "~")]
    return target, pointer(obj["$ref"])
def first_error(schema_ref, instance):
    v = Draft202012Validator({"$ref": schema_ref}, registry=registry)
    for e in v.iter_errors(instance):
        return f"{e.message} at {list(e.absolute_path)[:6]}"
    return None
for c in cases:
    method = c.get("method", "GET").lower()
    op = doc["paths"].get(c["template"], {}).get(method)
    where = f"{method.upper()} {c['url']}"
    if op is None:
        problems.append(f"{method.upper()} {c['template']}: not documented"); continue
    status = str(c["status"])
    if status not in op["responses"]:
        problems.append(f"{where}: status {status} not documented ({sorted(op['responses'])})"); continue
    resp, resp_ptr = resolve(op["responses"][status])
    if resp_ptr is None:
        resp_ptr = "/paths/" + esc(c["template"]) + "/" + method + "/responses/" + status
    got_headers = {k.lower(): v for k, v in (c.get("headers") or {}).items()}
    for name, h in resp.get("headers", {}).items():
        h, h_ptr = resolve(h)
        if h_ptr is None: h_ptr = resp_ptr + "/headers/" + esc(name)
        value = got_headers.get(name.lower())
        if value is None:
            if h.get("required"): problems.append(f"{where}: required header {name} missing")
            continue
        if "schema" in h:
            types = h["schema"].get("type")
            instance = int(value) if types == "integer" and value.isdigit() else value
            err = first_error("urn:openapi#" + h_ptr + "/schema", instance)
            if err: problems.append(f"{where}: header {name}: {err}")
    content = resp.get("content", {})
    ctype = (c["content_type"] or "").split(";")[0].strip()
    if not content:
        if c["body"] not in (None, ""): problems.append(f"{where}: body where none is documented")
        continue
    keys = {k.split(";")[0].strip(): k for k in content}
    if ctype not in keys:
        problems.append(f"{where}: content type {ctype!r} not documented ({sorted(content)})"); continue
    if c["body"] is None: continue
    err = first_error("urn:openapi#" + resp_ptr + "/content/" + esc(keys[ctype]) + "/schema", c["body"])
    if err: problems.append(f"{where}: {err}")
print(json.dumps({"checked": len(cases), "problems": problems}))
