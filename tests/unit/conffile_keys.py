#!/usr/bin/env python3
"""The conffiles hold every setting (issue 18): each key the kiosk's parser knows
(KEY("section", "key") in kiosk/app/config.c) is in packaging/kiosk.ini under its section,
set or commented out, and named in kiosk.ini(5); each [registry] key registryd's parser knows
(registry/main.c) is in packaging/registry.ini and registry.ini(5). A key added to a parser
and not to its file fails here."""
import re
import sys

top = sys.argv[1]


def ini_keys(path):
    """(section, key) of every line "key = ..." or ";key = ..." of an INI file."""
    keys, section = set(), None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*\[([a-z_]+)\]", line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r"\s*;?\s*([a-z_]+)\s*=", line)
        if m and section:
            keys.add((section, m.group(1)))
    return keys


def man_words(path):
    return set(re.findall(r"[a-z_]+", open(path, encoding="utf-8").read().replace("\\-", "-")))


problems = []
src = open(f"{top}/kiosk/app/config.c", encoding="utf-8").read()
kiosk = set(re.findall(r'KEY\("([a-z_]+)", "([a-z_]+)"\)', src))
if len(kiosk) < 40:
    problems.append(f"only {len(kiosk)} keys found in config.c: the pattern no longer matches")
have, man = ini_keys(f"{top}/packaging/kiosk.ini"), man_words(f"{top}/docs/man/kiosk.ini.5")
for s, k in sorted(kiosk):
    if (s, k) not in have:
        problems.append(f"packaging/kiosk.ini has no [{s}] {k}")
    if k not in man:
        problems.append(f"kiosk.ini(5) does not name {k}")

src = open(f"{top}/registry/main.c", encoding="utf-8").read()
body = src[src.index("static int on_config"):src.index("static void relative_to")]
registry = set(re.findall(r'!strcmp\(name, "([a-z_]+)"\)', body))
if len(registry) < 10:
    problems.append(f"only {len(registry)} keys found in registry/main.c")
have, man = ini_keys(f"{top}/packaging/registry.ini"), man_words(f"{top}/docs/man/registry.ini.5")
for k in sorted(registry):
    if ("registry", k) not in have:
        problems.append(f"packaging/registry.ini has no [registry] {k}")
    if k not in man:
        problems.append(f"registry.ini(5) does not name {k}")

for p in problems:
    print("not ok -", p)
print(f"# {len(kiosk)} kiosk keys, {len(registry)} registry keys; {len(problems)} problems")
sys.exit(1 if problems else 0)
