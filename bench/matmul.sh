#!/usr/bin/env bash
# The lowered matmul on the LLVM and JVM backends beside the machine's FMA peak (bench MatmulSpeed),
# then NumPy's sgemm (OpenBLAS) on the same sizes with 1 and with all cores, back to back so that
# the figures share the machine's state. Needs /usr/bin/python3 with numpy and libopenblas0-pthread
# for the BLAS side (skipped without it). Arguments: sizes as M K N triples (default 1024 1024 1024).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/find-jdk.sh"
cd "$root"
./mvnw -q -B ${MVN_OFFLINE:-} -pl bench -am package -DskipTests
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1024 1024 1024)
cores=$(nproc)
for threads in 1 "$cores"; do
  echo "== $threads thread(s)"
  "$JAVA_HOME/bin/java" -Dmodelc.threads="$threads" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
    -cp bench/target/benchmarks.jar dev.modelc.bench.MatmulSpeed "${sizes[@]}" 2>&1 | grep -v '^WARNING'
  if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    OPENBLAS_NUM_THREADS=$threads /usr/bin/python3 - "${sizes[@]}" <<'PY'
import sys, time
import numpy as np
s = [int(v) for v in sys.argv[1:]]
for m, k, n in zip(s[0::3], s[1::3], s[2::3]):
    a = np.random.rand(m, k).astype(np.float32)
    b = np.random.rand(k, n).astype(np.float32)
    reps = max(1, int(2e9 / (2 * m * n * k)))
    for _ in range(3 * reps): a @ b
    times = []
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(reps): a @ b
        times.append((time.perf_counter() - t) / reps)
    times.sort()
    print(f"matmul {m}x{k}x{n} numpy (OpenBLAS sgemm): {2 * m * n * k / times[3] / 1e9:.1f} GFLOP/s")
PY
  fi
done
