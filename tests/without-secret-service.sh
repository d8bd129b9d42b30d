#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs "$@" on a private D-Bus session bus without any Secret Service: the bus has no
# service directories, so nothing can be activated as org.freedesktop.secrets
# (platform-notes.md §2.4, pitfall 4). DISPLAY is unset so nothing can prompt either.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/astra-no-secrets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

unset DISPLAY WAYLAND_DISPLAY
status=0
dbus-run-session --config-file="$tmp/session.conf" -- "$@" || status=$?
exit "$status"
