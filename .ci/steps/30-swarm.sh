#!/usr/bin/env bash
# Swarm suites that need Node (hyperswarm cannot load in Bun, bun-platform-probe.md §5): the sidecar
# and a three-member fleet on a local hyperswarm testnet bound to 127.0.0.1. One file at a time, so
# the testnets do not compete for CPU. Prints node's TAP summary (`# pass N` / `# fail N`).
set -uo pipefail
cd "$(dirname "$0")/../.."
command -v node >/dev/null || { echo "node not found (Node >= 20 runs the swarm sidecar)"; echo "# pass 0"; echo "# fail 1"; exit 1; }
node --test --test-concurrency=1 --test-reporter=tap tests-node/
