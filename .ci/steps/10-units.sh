#!/usr/bin/env bash
# CI step 10: the systemd units in systemd/ must pass `systemd-analyze verify` with NO output at all.
# verify exits 0 even for "Unknown key" and unparsable values (bun-platform-probe.md §9), so any
# line it prints is a failure. verify also insists that every ExecStart binary exists, and the
# appliance's binaries (/usr/bin/hivebox, lightningd, node) are not installed on a CI machine, so it
# runs against a throw-away root (--root): the host's own systemd unit library (targets etc.), the
# host's real Debian mosquitto.service (so our drop-in is checked against the unit it modifies),
# our units, and empty executable stubs at the ExecStart paths. Then `systemd-analyze security
# --offline` scores each unit; hivebox.service must stay at or below MAX_EXPOSURE. Last, the
# sysusers file is applied to a copy of the account database.
set -uo pipefail
cd "$(dirname "$0")/../.."
MAX_EXPOSURE=2.0
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

mkdir -p "$root/lib/systemd/system" "$root/etc/systemd/system"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/"
cp systemd/*.service "$root/etc/systemd/system/"
cp -r systemd/mosquitto.service.d "$root/etc/systemd/system/"
units=()
for f in systemd/*.service; do units+=("$(basename "$f")"); done
units+=(mosquitto.service)
# A stub for every program an Exec*= line of these units (and the drop-in) runs.
for f in systemd/*.service systemd/mosquitto.service.d/*.conf "$root/lib/systemd/system/mosquitto.service"; do
  sed -nE 's/^Exec[A-Za-z]*=[-@+!:]*(\/[^ ]+).*/\1/p' "$f"
done | sort -u | while read -r bin; do
  mkdir -p "$root$(dirname "$bin")"
  printf '#!/bin/sh\nexit 0\n' > "$root$bin"
  chmod 0755 "$root$bin"
done
for unit in "${units[@]}"; do
  out=$(systemd-analyze verify --root="$root" "$unit" 2>&1); rc=$?
  if [ $rc -eq 0 ] && [ -z "$out" ]; then ok "verify $unit"; else bad "verify $unit (rc=$rc)"; printf '%s\n' "$out"; fi
done

# The LND variant (systemd/hivebox.service.d/lnd.conf, installed by an LND operator) on top of hivebox.service.
mkdir -p "$root/etc/systemd/system/hivebox.service.d"
cp systemd/hivebox.service.d/lnd.conf "$root/etc/systemd/system/hivebox.service.d/"
out=$(systemd-analyze verify --root="$root" hivebox.service 2>&1); rc=$?
if [ $rc -eq 0 ] && [ -z "$out" ]; then ok "verify hivebox.service with the LND drop-in"; else bad "verify hivebox.service with the LND drop-in (rc=$rc)"; printf '%s\n' "$out"; fi
rm -r "$root/etc/systemd/system/hivebox.service.d"

for unit in "${units[@]}"; do
  score=$(systemd-analyze security --offline=yes --root="$root" "$unit" 2>/dev/null | sed -nE 's/.*Overall exposure level for [^:]+: ([0-9.]+).*/\1/p')
  echo "exposure $unit: ${score:-?}"
  if [ "$unit" = hivebox.service ]; then
    if [ -n "$score" ] && awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then ok "hivebox.service exposure $score <= $MAX_EXPOSURE"; else bad "hivebox.service exposure ${score:-?} > $MAX_EXPOSURE"; fi
  fi
done

# The accounts the units run as: apply systemd/hivebox.sysusers to a copy of /etc/{passwd,group}.
users="$root/sysusers"; mkdir -p "$users/etc" "$users/usr/lib/sysusers.d"; cp /etc/passwd /etc/group "$users/etc/"
cp systemd/hivebox.sysusers "$users/usr/lib/sysusers.d/hivebox.conf"
if systemd-sysusers --root="$users" >/dev/null 2>&1 \
  && grep -q '^hivebox:' "$users/etc/passwd" && grep -Eq '^lightningd:x:[0-9]+:(.*,)?hivebox(,|$)' "$users/etc/group"; then
  ok "sysusers: hivebox user in group lightningd"
else
  bad "sysusers: hivebox user / lightningd membership not created"
fi

echo "STEP ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
