#!/usr/bin/env bash
# CI step 20: build both single binaries (`bun run build`) and prove each is self-contained:
# the x64 binary runs from an empty temp folder; the arm64 binary runs under qemu-aarch64-static
# (binfmt_misc is usually not mounted, so qemu is called explicitly) with an arm64 runtime sysroot
# from Debian multiarch: libc6, libstdc++6, libudev1, libusb-1.0-0 (node-hid's addon links them).
# Each binary must print its version line (version, commit, target) and pass `hivebox selftest`
# (signmessage vector, in-memory SQLite, embedded node-hid addon; x64 also tests/build/binary.test.ts,
# whose x64 cases need dist/), then run `plan` on the graph
# embedded at build time; x64 also a whole `demo` (plugins spawned from the binary itself, no child left). As root the selftests run a
# second time in a private mount namespace with an empty tmpfs over the checkout's node_modules,
# because a compiled binary can silently load an addon from the build machine's absolute path
# (bun-platform-probe.md §7). Last, as root, tests/systemd/boot/run.sh boots a Debian container with
# the x64 binary and the shipped units (hivebox.service notify/watchdog/hardening, polkit, mosquitto).
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

arm64_pkgs=(libc6:arm64 libstdc++6:arm64 libudev1:arm64 libusb-1.0-0:arm64)
need=()
command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)
for p in "${arm64_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    && ok "apt: ${need[*]}" || bad "apt: ${need[*]}"
fi

if out=$(bun run build 2>&1); then ok "bun run build"; printf '%s\n' "$out" | grep dist/; else bad "bun run build"; printf '%s\n' "$out"; fi
commit=$(git rev-parse --short HEAD)
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

check() { # <label> <target> <command...>: --version and selftest from the empty folder
  local label=$1 target=$2; shift 2
  local v s
  v=$(cd "$empty" && "$@" --version 2>&1)
  if [[ "$v" =~ ^hivebox\ [0-9]+\.[0-9]+\.[0-9]+.*\ \(${commit}(-dirty)?\)\ ${target}$ ]]; then ok "$label --version: $v"; else bad "$label --version: $v"; fi
  s=$(cd "$empty" && "$@" selftest 2>&1)
  if printf '%s' "$s" | grep -q '^{"ok":true,"target":"'"$target"'"'; then ok "$label selftest"; else bad "$label selftest: $s"; fi
}

x64=$(realpath dist/hivebox-linux-x64); arm64=$(realpath dist/hivebox-linux-arm64)
[ "$(ls -A "$empty")" = "" ] || bad "temp folder not empty"
check x64 linux-x64 "$x64"
check arm64 linux-arm64 qemu-aarch64-static "$arm64"
# tests/build/binary.test.ts skipped its x64 cases in `bun run test` (dist/ did not exist yet): now
# they run, among them the binary's `plugin` started as lightningd starts it (re-executed in place
# without the JIT, lightningd's flags intact, an operator's BUN_JSC_useJIT kept).
if [ "$(uname -m)" = x86_64 ]; then
  if bt=$(bun test --timeout 120000 tests/build/binary.test.ts 2>&1); then ok "tests/build/binary.test.ts on dist/hivebox-linux-x64"; else bad "tests/build/binary.test.ts: $(printf '%s\n' "$bt" | tail -n 30)"; fi
fi
# `plan` and `demo` from the empty folder: the mainnet graph embedded at build time (../shared/data
# is beside the checkout in CI), [planner] graph from the environment, the demo's plugins started
# from the binary itself, and no child process left once it exits (x64; arm64 runs plan).
apps() { # <label> <plan|demo> <command...>: `plan` checks plan only, `demo` also runs the whole demo
  local label=$1 what=$2; shift 2
  local p d left
  p=$(cd "$empty" && timeout 300 "$@" plan --json --top 3 2>/dev/null)
  if printf '%s' "$p" | grep -q '"nodes":17324,"channels":50808'; then ok "$label plan: embedded mainnet graph"; else bad "$label plan: ${p:0:200}"; fi
  p=$(cd "$empty" && HIVEBOX_PLANNER_GRAPH=/nonexistent/graph.json timeout 60 "$@" plan 2>&1)
  if printf '%s' "$p" | grep -q 'cannot read /nonexistent/graph.json'; then ok "$label plan: [planner] graph from the configuration"; else bad "$label plan [planner] graph: ${p:0:200}"; fi
  [ "$what" = demo ] || return 0
  local t0=$SECONDS
  d=$(cd "$empty" && timeout 900 "$@" demo --json 2>/dev/null)
  if printf '%s' "$d" | grep -q '^{"formed":true'; then ok "$label demo: the fleet formed, plugins run from the binary ($((SECONDS - t0)) s)"; else bad "$label demo: ${d:0:300}"; fi
  left=$(pgrep -af -- "${!#}" || true)
  if [ -z "$left" ]; then ok "$label demo: no child left after exit"; else bad "$label demo left: $left"; fi
}
if [ -f ../shared/data/gossip-store-2026-02-03.compressed ]; then
  apps x64 demo "$x64"
  # arm64 under qemu-user: plan only. Its demo would run nine emulated Bun processes (three daemons'
  # plugins and signers), whose start-up under emulation outlasts the signer's 15 s ready bound.
  apps arm64 plan qemu-aarch64-static "$arm64"
else
  echo "SKIPPED: plan/demo from an empty folder need ../shared/data at build time (the graph is embedded then)"
fi
[ "$(ls -A "$empty")" = "" ] && ok "the empty folder stayed empty" || bad "files left in the empty folder: $(ls -A "$empty")"
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1; then
  hidden=$(unshare -m sh -c 'mount -t tmpfs none "$1/node_modules" && cd "$2" && "$3" selftest && qemu-aarch64-static "$4" selftest' sh "$PWD" "$empty" "$x64" "$arm64" 2>&1)
  if [ "$(printf '%s\n' "$hidden" | grep -c '^{"ok":true')" -eq 2 ]; then ok "selftest x64 + arm64 with node_modules hidden"; else bad "selftest with node_modules hidden: $hidden"; fi
fi
# The x64 binary under the shipped units with real systemd as PID 1 (nspawn container; root only).
if [ "$(id -u)" -eq 0 ]; then
  for p in debootstrap systemd-container; do dpkg -s "$p" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null; done
  boot=$(bash tests/systemd/boot/run.sh "$x64" 2>&1)
  printf '%s\n' "$boot" | sed 's/^/boot: /'
  bp=$(printf '%s\n' "$boot" | sed -nE 's/^STEP ([0-9]+) passed.*/\1/p' | tail -1)
  bf=$(printf '%s\n' "$boot" | sed -nE 's/^STEP [0-9]+ passed, ([0-9]+) failed.*/\1/p' | tail -1)
  passed=$((passed + ${bp:-0})); failed=$((failed + ${bf:-1}))
fi
for f in "$x64" "$arm64"; do echo "size $(basename "$f"): $(stat -c %s "$f") bytes"; done

echo "STEP ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
