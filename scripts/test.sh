#!/usr/bin/env bash
# The project's test command: builds every module and runs every test suite.
# Extra arguments go to Maven (e.g. scripts/test.sh -pl cli -am).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 3
source scripts/find-jdk.sh || exit 1
exec ./mvnw -B verify "$@"
