#!/usr/bin/env bash
# CI step 40: the amd64 appliance image, built with the operator's command and booted as a computer.
# tests/images/boot/boot-test.ts runs `bun run image -- --arch amd64` (Debian base cached in
# /var/cache/hivebox-image by recipe + lock hash; a cold base takes ~5 min) with the boot test's tree
# (a simulated lightningd and the signer simulator), flashes the .img.xz onto a larger disk file, puts a
# test hivebox.toml on its FAT partition and boots it under qemu-system-x86_64 in software emulation
# (TCG, no KVM needed) with the kernel and initramfs from that partition. It checks over MQTT
# (user-mode networking) that the box comes up online and healthy with a founded hive within its
# time bound, and over SSH the grown root, the first-boot import, the units and the IPC socket
# between lightningd's plugin and the daemon. A failed boot prints the serial console.
# Needs root and the Debian mirror.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then echo "FAIL image boot test needs root"; echo "STEP 0 passed, 1 failed"; exit 1; fi
need=()
for p in mmdebstrap dosfstools mtools fdisk xz-utils zstd e2fsprogs qemu-system-x86 openssh-client; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "FAIL apt: ${need[*]}"; echo "STEP 0 passed, 1 failed"; exit 1; }
fi
bun tests/images/boot/boot-test.ts
