#!/usr/bin/env bash
# The project's test command: builds every module, runs every test suite, then drives the
# launcher end to end on the examples (the jar is fresh from the build, so it does not rebuild).
# Extra arguments go to Maven (e.g. scripts/test.sh -pl cli -am).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 3
source scripts/find-jdk.sh || exit 1
./mvnw -B verify "$@" || exit $?
if [ $# -eq 0 ]; then
  echo "launcher smoke test: ./modelc check examples/*.model"
  ./modelc check examples/*.model || exit $?
fi
