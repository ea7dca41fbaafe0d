#!/usr/bin/env bash
# CI step 40: the amd64 appliance image, built with the operator's command and booted.
# tests/images/boot/boot-test.ts runs `bun run image -- --arch amd64` (Debian base cached in
# /var/cache/hivebox-image by recipe + lock hash), boots the image's root with real systemd in
# systemd-nspawn with a test hivebox.toml and a simulated lightningd and signer on the host, and
# checks first boot, the broker, unit states, the daemon's MQTT availability and health, and
# `systemctl --failed` from the host over MQTT. Needs root and the Debian mirror.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then echo "FAIL image boot test needs root"; echo "STEP 0 passed, 1 failed"; exit 1; fi
need=()
for p in mmdebstrap dosfstools mtools fdisk xz-utils e2fsprogs systemd-container; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "FAIL apt: ${need[*]}"; echo "STEP 0 passed, 1 failed"; exit 1; }
fi
bun tests/images/boot/boot-test.ts
