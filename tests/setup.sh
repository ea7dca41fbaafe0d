#!/usr/bin/env bash
# Machine set-up shared by the README commands and CI: Debian packages Hivebox's tests and runtime
# use (mosquitto for MQTT tests, libusb/libudev for node-hid, systemd for `systemd-analyze verify`),
# Bun from npm, then the locked npm dependencies. Idempotent; needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES=(mosquitto libusb-1.0-0 libudev1 libsecp256k1-1 systemd python3-jinja2 openssl time)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# mosquitto's package starts a system broker on :1883; tests start their own on loopback ports.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then systemctl disable --now mosquitto >/dev/null 2>&1 || true; fi
if ! command -v bun >/dev/null 2>&1 || [ "$(bun --version)" != "1.4.5" ]; then
  npm install -g --allow-scripts=bun bun@1.4.5 >/dev/null 2>&1 || npm install -g bun@1.4.5 >/dev/null
fi
bun install --frozen-lockfile >/dev/null
