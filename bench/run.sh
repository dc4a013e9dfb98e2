#!/usr/bin/env bash
# Builds and runs the JMH benchmarks (forward pass and training step of each example, per backend).
# Extra arguments go to JMH, e.g.:  bench/run.sh -p model=mnist_mlp -p backend=interp,jvm
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/find-jdk.sh"
cd "$root"
./mvnw -q -B -pl bench -am package -DskipTests
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar "$@"
