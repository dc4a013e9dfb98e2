#!/usr/bin/python3
"""Checks the golden cases in tests/golden against the compiler's own view of each model.

For every case it runs `./modelc ir CASE.model --stage typed` and compares:
  - every `input` with its `.npy` file (element type and shape, binding dimension variables);
  - every `param` and `const` with its tensor in `params.safetensors`;
  - every `output`, the `loss` and every `metric` with `expected/ENTRY.npy`.
It needs NumPy and a JDK for ./modelc, not PyTorch:

    /usr/bin/python3 tests/reference/check_goldens.py [CASE ...]
"""

import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
DTYPES = {"f32": np.float32, "f64": np.float64, "i32": np.int32, "i64": np.int64, "bool": np.bool_}
ST = {"F32": "f32", "F64": "f64", "I32": "i32", "I64": "i64", "BOOL": "bool"}
LINE = re.compile(r"^  (input|param|const|output|metric|loss)\s*(\w*)\s*:\s*(\w+)(?:\[([^\]]*)\])?")


def read_safetensors(path):
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    end = 0
    out = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = info["data_offsets"]
        assert begin == end, f"{path}: gap or overlap before {name}"
        end = stop
        dtype = np.dtype(DTYPES[ST[info["dtype"]]]).newbyteorder("<")
        arr = np.frombuffer(data[8 + n + begin:8 + n + stop], dtype=dtype)
        out[name] = arr.reshape(info["shape"])
    assert 8 + n + end == len(data), f"{path}: trailing bytes"
    return out


def dims_of(text):
    return [d.strip() for d in text.split(",")] if text and text.strip() else []


def evaluate(dim, env):
    expr = re.sub(r"(?<![/])/(?!/)", "//", dim)
    return eval(expr, {"__builtins__": {}}, dict(env))


def check(case):
    model = GOLDEN / f"{case}.model"
    folder = GOLDEN / case
    ir = subprocess.run([str(ROOT / "modelc"), "ir", str(model), "--stage", "typed"],
                        capture_output=True, text=True)
    if ir.returncode != 0:
        return [f"modelc ir failed: {ir.stderr.strip()}"]
    problems, env, seen = [], {}, set()
    params = read_safetensors(folder / "params.safetensors") if (folder / "params.safetensors").exists() else {}
    in_model = False
    decls = []
    for line in ir.stdout.splitlines():
        if line.startswith("model "):
            in_model = True
            continue
        if not in_model:
            continue
        m = LINE.match(line)
        if m:
            decls.append(m.groups())
    for kind, name, dtype, shape in decls:
        if kind != "input":
            continue
        path = folder / f"{name}.npy"
        if not path.exists():
            problems.append(f"missing {path.name}")
            continue
        arr = np.load(path)
        if arr.dtype != np.dtype(DTYPES[dtype]):
            problems.append(f"input {name}: {arr.dtype} but declared {dtype}")
        dims = dims_of(shape)
        if len(dims) != arr.ndim:
            problems.append(f"input {name}: shape {arr.shape} but declared [{shape}]")
            continue
        for d, size in zip(dims, arr.shape):
            if re.fullmatch(r"[A-Z]\w*", d):
                if env.setdefault(d, size) != size:
                    problems.append(f"input {name}: {d} = {size}, elsewhere {env[d]}")
    for kind, name, dtype, shape in decls:
        if kind == "input":
            continue
        if kind in ("param", "const"):
            arr = params.get(name)
            where = f"{kind} {name} in params.safetensors"
            seen.add(name)
        else:
            entry = "loss" if kind == "loss" else name
            path = folder / "expected" / f"{entry}.npy"
            arr = np.load(path) if path.exists() else None
            where = f"expected/{entry}.npy"
        if arr is None:
            problems.append(f"missing {where}")
            continue
        want_shape = tuple(evaluate(d, env) for d in dims_of(shape))
        if arr.dtype != np.dtype(DTYPES[dtype]) or arr.shape != want_shape:
            problems.append(f"{where}: {arr.dtype}{list(arr.shape)} but the model gives {dtype}{list(want_shape)}")
    extra = set(params) - seen
    if extra:
        problems.append(f"params.safetensors has tensors the model does not declare: {sorted(extra)}")
    entries = {("loss" if k == "loss" else n) for k, n, _, _ in decls if k in ("output", "loss", "metric")}
    files = {p.stem for p in (folder / "expected").glob("*.npy")}
    if files - entries:
        problems.append(f"expected files for no entry: {sorted(files - entries)}")
    return problems


def main():
    cases = sys.argv[1:] or sorted(p.stem for p in GOLDEN.glob("*.model"))
    failed = 0
    for case in cases:
        problems = check(case)
        if problems:
            failed += 1
            print(f"FAIL {case}")
            for p in problems:
                print(f"     {p}")
    print(f"{len(cases) - failed} consistent, {failed} inconsistent")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
