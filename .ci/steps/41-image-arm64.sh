#!/usr/bin/env bash
# CI step 41: the Raspberry Pi (arm64) image, built and booted.
# 1. tests/images/arm64/image-check.ts builds it with `bun run image -- --arch arm64` (package
#    scripts run under qemu-aarch64-static through binfmt_misc; the Debian base is cached in
#    /var/cache/hivebox-image by recipe + lock hash — a cold base takes ~15 min, most of it
#    mkinitramfs under emulation) and inspects the artifact without mounting: checksum, partition
#    table, boot files, the aarch64 binary under qemu with the image's own libraries, units and the
#    signer udev rule.
# 2. tests/images/arm64/boot-check.ts builds it again with the boot test's tree (simulated
#    lightningd, signer simulator; zstd, base from the cache) and boots the image's own kernel,
#    initramfs and root under qemu-system-aarch64 -M virt (TCG) to hivebox.service READY and a
#    healthy box over MQTT, within 900 s of starting qemu. Measured on the shared 2-core machine at
#    load 13: build 104 s, kernel -> READY 244 s (qemu start -> READY 273 s), whole check 6.5 min;
#    at load 15-20 READY took 330-354 s. A failed boot prints the console.
# Cold cost of this step: arm64 base ~15 min + image-check ~5 min + boot-check ~6.5 min = ~27 min;
# with the base cached ~12 min.
# Needs root and the Debian mirror.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then echo "FAIL arm64 image needs root"; echo "STEP 0 passed, 1 failed"; exit 1; fi
need=()
for p in mmdebstrap dosfstools mtools fdisk xz-utils zstd e2fsprogs qemu-user-static qemu-system-arm arch-test file; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "FAIL apt: ${need[*]}"; echo "STEP 0 passed, 1 failed"; exit 1; }
fi
passed=0; failed=0
for t in image-check boot-check; do
  out=$(bun "tests/images/arm64/$t.ts" 2>&1)
  printf '%s\n' "$out" | grep -v '^STEP '
  p=$(printf '%s\n' "$out" | sed -nE 's/^STEP ([0-9]+) passed.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -nE 's/^STEP [0-9]+ passed, ([0-9]+) failed.*/\1/p' | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
done
echo "STEP ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
