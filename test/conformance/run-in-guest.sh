#!/usr/bin/env bash
# Runs the IPVS conformance suite against the real kernel of the user-mode-linux guest (scripts/guest/run).
# Usage: test/conformance/run-in-guest.sh [extra jest args]
set -euo pipefail
cd "$(dirname "$0")/../.."
config='{"testEnvironment":"node","rootDir":"'"$PWD"'","roots":["<rootDir>/test/conformance"],"testMatch":["**/*.kernel.ts"],"transform":{"^.+\\.ts$":["ts-jest",{"diagnostics":false}]},"testTimeout":120000}'
exec scripts/guest/run -- "$(command -v node)" node_modules/.bin/jest --ci --runInBand --config "$config" "$@"
