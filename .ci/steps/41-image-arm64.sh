#!/usr/bin/env bash
# CI step 41: the Raspberry Pi (arm64) image. tests/images/arm64/image-check.ts builds it with
# `bun run image -- --arch arm64` (package scripts run under qemu-aarch64-static through
# binfmt_misc; the Debian base is cached in /var/cache/hivebox-image by recipe + lock hash — a cold
# build takes ~15 min, most of it mkinitramfs under emulation) and inspects the artifact without
# mounting: checksum, partition table, boot files, the aarch64 binary under qemu with the image's
# own libraries, units and the signer udev rule. Needs root and the Debian mirror.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then echo "FAIL arm64 image needs root"; echo "STEP 0 passed, 1 failed"; exit 1; fi
need=()
for p in mmdebstrap dosfstools mtools fdisk xz-utils e2fsprogs qemu-user-static arch-test file; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "FAIL apt: ${need[*]}"; echo "STEP 0 passed, 1 failed"; exit 1; }
fi
bun tests/images/arm64/image-check.ts
