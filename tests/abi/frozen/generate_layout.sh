#!/usr/bin/env bash
# Prints v1_layout.inc for a frozen header: every struct's size, every field's
# offset and every constant's value, as this machine's compiler lays them out.
# Run once when a version is frozen (needs clang and python3), never for a
# header already frozen:  tests/abi/frozen/generate_layout.sh v1_0 > tests/abi/v1_layout.inc
set -euo pipefail
version=${1:?usage: generate_layout.sh <frozen version folder, e.g. v1_0>}
dir="$(cd "$(dirname "$0")" && pwd)/$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clang -x c -std=c99 -I"$dir" -Xclang -ast-dump=json -fsyntax-only "$dir/stream/plugin.h" > "$work/ast.json"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
ast = json.load(open(f"{work}/ast.json"))
lines = []
for d in ast["inner"]:
    if d.get("kind") == "RecordDecl" and d.get("completeDefinition") and d.get("name", "").startswith("stream_"):
        s = d["name"]
        lines.append(f'printf("STREAM_V1_STRUCT({s}, %zu)\\n", sizeof(struct {s}));')
        for f in d.get("inner", []):
            if f.get("kind") == "FieldDecl":
                lines.append(f'printf("STREAM_V1_FIELD({s}, {f["name"]}, %zu)\\n", offsetof(struct {s}, {f["name"]}));')
constants = [c["name"] for d in ast["inner"] if d.get("kind") == "EnumDecl"
             for c in d.get("inner", []) if c.get("kind") == "EnumConstantDecl"]
constants += ["STREAM_ABI_MAJOR", "STREAM_PLUGIN_THREAD_SAFE", "STREAM_KEY_REQUIRED"]
for c in constants:
    lines.append(f'printf("STREAM_V1_CONSTANT({c}, %lld)\\n", (long long){c});')
with open(f"{work}/layout.c", "w") as o:
    o.write("#include <stddef.h>\n#include <stdio.h>\n#include <stream/plugin.h>\nint main(void) {\n")
    o.write("\n".join(lines) + "\nreturn 0;\n}\n")
PY
cc -std=c99 -I"$dir" "$work/layout.c" -o "$work/layout"
echo "// Generated from frozen/$version/stream/plugin.h by frozen/generate_layout.sh (LP64). Frozen like"
echo "// the header: never edit."
"$work/layout"
