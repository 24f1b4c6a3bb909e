"""Schemathesis hooks for innograph's API (loaded with SCHEMATHESIS_HOOKS=hooks).

`POST /api/v1/import` takes JSON Lines (`application/x-ndjson`), which schemathesis cannot
serialise by itself: the OpenAPI document describes the body as an array of import lines
(`ImportLine`), and this serialiser writes one JSON value per line.
"""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    lines = value if isinstance(value, list) else [value]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
