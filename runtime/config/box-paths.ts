/**
 * The appliance's fixed file paths, shared by `hivebox firstboot` (which writes them) and the config
 * defaults of `hivebox run` (which reads them).
 */
/** Where firstboot keeps things and what the daemon reads (agreed paths; images/README.md "First boot"). */
export const BOX_PATHS = {
  /** Every setting incl. secrets (root 0600): the box's memory of imported secrets. */
  settings: '/etc/hivebox/firstboot-settings.json',
  /** The daemon config (`hivebox run --config`). */
  daemonConfig: '/etc/hivebox/hivebox.toml',
  /** `{"role": "genesis"|"member"|null, "ticket"?: "…"}` for the daemon's enrolment. */
  hiveRole: '/etc/hivebox/hive-role.json',
  /** The outcome of the last firstboot run (read by the daemon's health: `degraded` + reasons). */
  status: '/var/lib/hivebox/firstboot-status.json',
  /** Broker config rendered from {@link BOX_PATHS.mosquittoTemplate}. */
  mosquittoConf: '/etc/mosquitto/conf.d/hivebox.conf',
  /** systemd/mosquitto-hivebox.conf as shipped. */
  mosquittoTemplate: '/usr/share/hivebox/mosquitto-hivebox.conf',
  mosquittoPasswd: '/etc/mosquitto/hivebox.passwd',
  lightningdConfig: '/etc/lightningd/config',
  wiredNetwork: '/etc/systemd/network/20-hivebox-wired.network',
  wifiNetwork: '/etc/systemd/network/25-hivebox-wifi.network',
  wpaSupplicant: '/etc/wpa_supplicant/wpa_supplicant-wlan0.conf',
  authorizedKeys: '/root/.ssh/authorized_keys',
} as const;
