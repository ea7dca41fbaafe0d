#!/usr/bin/env bash
# Boots a Debian bookworm container with real systemd (systemd-nspawn, as in bun-platform-probe.md
# §9) holding the built binary and the shipped units, runs tests/systemd/boot/check.sh inside, and
# prints its result lines ending in "STEP n passed, m failed". Needs root, debootstrap,
# systemd-container and network for the first debootstrap (the base rootfs is cached in
# $HIVEBOX_ROOTFS_CACHE, default /var/cache/hivebox-ci/rootfs-bookworm). Usage: run.sh <x64 binary>.
set -uo pipefail
cd "$(dirname "$0")/../../.."
bin=$(realpath "${1:-dist/hivebox-linux-x64}")
cache=${HIVEBOX_ROOTFS_CACHE:-/var/cache/hivebox-ci/rootfs-bookworm}
mirror=$(sed -nE 's/^URIs: (.*debian)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
if [ ! -x "$cache/usr/bin/systemctl" ]; then
  rm -rf "$cache"; mkdir -p "$(dirname "$cache")"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,libpam-systemd,polkitd,mosquitto,libusb-1.0-0,libudev1,procps \
    bookworm "$cache" "${mirror:-http://deb.debian.org/debian}" >/dev/null || { echo "debootstrap failed"; echo "STEP 0 passed, 1 failed"; exit 1; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
cp -a "$cache" "$root"

install -m 0755 "$bin" "$root/usr/bin/hivebox"
install -m 0644 systemd/*.service "$root/etc/systemd/system/"
mkdir -p "$root/etc/systemd/system/mosquitto.service.d" "$root/usr/lib/sysusers.d" "$root/usr/share/polkit-1/rules.d" "$root/usr/lib/hivebox-test"
install -m 0644 systemd/mosquitto.service.d/hivebox.conf "$root/etc/systemd/system/mosquitto.service.d/"
install -m 0644 systemd/hivebox.sysusers "$root/usr/lib/sysusers.d/hivebox.conf"
install -m 0644 systemd/50-hivebox-units.rules "$root/usr/share/polkit-1/rules.d/"
install -m 0644 systemd/mosquitto-hivebox.conf "$root/etc/mosquitto/conf.d/hivebox.conf"
mosquitto_passwd -c -b "$root/etc/mosquitto/hivebox.passwd" homeassistant boot-check >/dev/null
chroot "$root" chown mosquitto:mosquitto /etc/mosquitto/hivebox.passwd
chmod 0600 "$root/etc/mosquitto/hivebox.passwd"
tar -c runtime services tests | tar -x -C "$root/usr/lib/hivebox-test"
cat > "$root/etc/systemd/system/hivebox-boot-check.service" <<UNIT
[Unit]
Description=Hivebox boot check
After=multi-user.target mosquitto.service polkit.service
[Service]
Type=oneshot
ExecStart=/bin/sh /usr/lib/hivebox-test/tests/systemd/boot/check.sh
[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/hivebox-boot-check.service "$root/etc/systemd/system/multi-user.target.wants/hivebox-boot-check.service"
ln -sf /lib/systemd/system/mosquitto.service "$root/etc/systemd/system/multi-user.target.wants/mosquitto.service"

timeout 300 systemd-nspawn -q -D "$root" --register=no --keep-unit --boot --console=pipe >"$work/console.log" 2>&1
if [ -s "$root/var/log/hivebox-boot-check.txt" ]; then cat "$root/var/log/hivebox-boot-check.txt"; else tail -30 "$work/console.log"; echo "STEP 0 passed, 1 failed"; fi
grep -q '^STEP [0-9]* passed, 0 failed' "$root/var/log/hivebox-boot-check.txt" 2>/dev/null
