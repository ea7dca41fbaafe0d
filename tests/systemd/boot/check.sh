#!/bin/sh
# Runs INSIDE the booted Debian container (tests/systemd/boot/run.sh) as a oneshot unit, with real
# systemd as PID 1, real polkitd and journald. Checks that the shipped units work as shipped:
# sysusers accounts, mosquitto with the drop-in and LAN conf, hivebox.service's Type=notify +
# watchdog + hardening with a real sd_notify client, the binary's selftest inside that sandbox,
# the polkit rule, and the supervisor's systemctl adapter as the hivebox user. Writes
# /var/log/hivebox-boot-check.txt ("ok"/"FAIL" lines, then "STEP n passed, m failed") and powers off.
out=/var/log/hivebox-boot-check.txt
T=/usr/lib/hivebox-test
: > "$out"
pass=0; fail=0
ok() { echo "ok   $1" >> "$out"; pass=$((pass + 1)); }
bad() { echo "FAIL $1" >> "$out"; fail=$((fail + 1)); }
note() { echo "     $1" >> "$out"; }
dropin=/run/systemd/system/hivebox.service.d/test.conf
mkdir -p "$(dirname "$dropin")"

if id -nG hivebox 2>/dev/null | grep -qw lightningd; then ok "sysusers: hivebox in group lightningd"; else bad "sysusers: $(id hivebox 2>&1)"; fi

if [ "$(systemctl is-active mosquitto.service)" = active ]; then ok "mosquitto.service active with drop-in + hivebox.conf"; else bad "mosquitto: $(systemctl status mosquitto.service 2>&1 | tail -5)"; fi

# hivebox.service as shipped, ExecStart swapped for a notify client built on services/systemd/sd-notify.ts
# (the compiled binary acting as bun via BUN_BE_BUN), watchdog shortened to 2 s.
cat > "$dropin" <<CONF
[Service]
ExecStart=
ExecStart=/usr/bin/hivebox $T/tests/systemd/fixtures/notify-child.ts
Environment=BUN_BE_BUN=1
WatchdogSec=2
CONF
systemctl daemon-reload
if timeout 60 systemctl start hivebox.service; then ok "hivebox.service reached active (READY=1 through libsystemd under the sandbox)"; else bad "hivebox.service start: $(journalctl -u hivebox.service -o cat --no-pager | tail -8)"; fi
status=$(systemctl show -p StatusText --value hivebox.service)
if [ "$status" = "healthy: store open, signer checked, backend up" ]; then ok "StatusText: $status"; else bad "StatusText: '$status'"; fi
sleep 6
if [ "$(systemctl show -p ActiveState --value hivebox.service)" = active ] && [ "$(systemctl show -p NRestarts --value hivebox.service)" = 0 ]; then
  ok "alive after 3x WatchdogSec: WATCHDOG=1 pings accepted"
else
  bad "watchdog: $(systemctl show -p ActiveState,SubState,Result,NRestarts hivebox.service | tr '\n' ' ')"
fi
note "user: $(ps -o user= -p "$(systemctl show -p MainPID --value hivebox.service)")"
systemctl stop hivebox.service
if [ "$(systemctl show -p Result --value hivebox.service)" = success ]; then ok "SIGTERM: clean stop"; else bad "stop: $(systemctl show -p Result --value hivebox.service)"; fi

# The real binary inside the same sandbox (user hivebox, seccomp filter, DevicePolicy, ProtectSystem).
cat > "$dropin" <<CONF
[Service]
Type=oneshot
ExecStart=
ExecStart=/usr/bin/hivebox selftest
WatchdogSec=0
CONF
systemctl daemon-reload
systemctl start hivebox.service
line=$(journalctl -u hivebox.service -o cat --no-pager | grep '^{"ok"' | tail -1)
case "$line" in '{"ok":true'*) ok "selftest under hivebox.service hardening: $line" ;; *) bad "selftest: $line $(journalctl -u hivebox.service -o cat --no-pager | tail -5)" ;; esac
note "$(systemd-analyze security hivebox.service 2>/dev/null | tail -1)"
rm -f "$dropin"; systemctl daemon-reload

if runuser -u hivebox -- systemctl --no-ask-password restart mosquitto.service 2>>"$out"; then ok "polkit: hivebox may restart mosquitto.service"; else bad "polkit: restart mosquitto refused"; fi
if runuser -u hivebox -- systemctl --no-ask-password stop mosquitto.service 2>/dev/null; then bad "polkit: hivebox could STOP mosquitto"; else ok "polkit: hivebox may not stop mosquitto.service"; fi
if runuser -u hivebox -- systemctl --no-ask-password restart systemd-journald.service 2>/dev/null; then bad "polkit: hivebox could restart journald"; else ok "polkit: hivebox may not restart other units"; fi

probe=$(cd /tmp && runuser -u hivebox -- env BUN_BE_BUN=1 HOME=/tmp /usr/bin/hivebox "$T/tests/systemd/fixtures/unit-probe.ts" mosquitto.service 2>&1)
case "$probe" in '{"before":{"up":true},"restart":{"ok":true'*'"after":{"up":true}}') ok "systemctl adapter as hivebox: $probe" ;; *) bad "systemctl adapter: $probe" ;; esac

echo "STEP ${pass} passed, ${fail} failed" >> "$out"
systemctl poweroff
