#!/usr/bin/env python3
"""api_spec.py REGISTRYD SPEC: docs/api/registry.yaml (OpenAPI 3) against registryd's route
table (registryd --routes), both ways: every route is described with its method, nothing is
described that is not routed, and each operation's security names the route's role (a
kiosk's, any operator's, the province's, or the enrollment listener's none). A prefix route
(PATH*) stands for the described paths under it with a {parameter}."""
import subprocess
import sys

import yaml

registryd, spec_file = sys.argv[1], sys.argv[2]
routes = []  # (method, path, prefix, role)
for line in subprocess.run([registryd, "--routes"], check=True, capture_output=True,
                           text=True).stdout.splitlines():
    method, path, role = line.split()
    routes.append((method.lower(), path.rstrip("*"), path.endswith("*"), role))
spec = yaml.safe_load(open(spec_file, encoding="utf-8"))
assert spec.get("openapi", "").startswith("3."), "not an OpenAPI 3 document"
scheme = {"kiosk": "kioskCertificate", "operator": "operatorCertificate",
          "province": "provinceOperatorCertificate"}
described = []  # (method, path, security names, listener)
for path, item in spec["paths"].items():
    for method, op in item.items():
        if method in ("get", "post", "put", "delete", "patch"):
            names = [k for s in op.get("security", []) for k in s]
            described.append((method, path, names, op.get("x-listener", "main")))


def covers(route, method, path):
    m, p, prefix, _ = route
    if m != method:
        return False
    return path.startswith(p) and "{" in path[len(p):] if prefix else path == p


failures = []
for route in routes:
    hits = [d for d in described if covers(route, d[0], d[1])]
    if not hits:
        failures.append(f"routed, not described: {route[0].upper()} {route[1]}")
    for d in hits:
        want = [] if route[3] == "enrollment" else [scheme[route[3]]]
        if d[2] != want:
            failures.append(f"{d[0].upper()} {d[1]}: security {d[2]}, the route's role is "
                            f"{route[3]}")
        if (d[3] == "enrollment") != (route[3] == "enrollment"):
            failures.append(f"{d[0].upper()} {d[1]}: x-listener {d[3]}, the route's {route[3]}")
for d in described:
    if not any(covers(r, d[0], d[1]) for r in routes):
        failures.append(f"described, not routed: {d[0].upper()} {d[1]}")
for f in failures:
    print("not ok -", f)
print(f"{len(routes)} routes, {len(described)} operations described, {len(failures)} problems")
sys.exit(1 if failures else 0)
