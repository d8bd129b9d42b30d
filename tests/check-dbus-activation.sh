#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The desktop file says DBusActivatable=true, so GNOME Shell starts the app by sending it a
# D-Bus message: the bus reads our service file and runs its Exec line. This test does the
# same on a private bus whose only service directory holds our service file (its Exec
# pointed at the built binary): it activates the app by name, checks that the app actions
# are exported, and quits it through app.quit.
#
# Usage: check-dbus-activation.sh SERVICE_FILE BUILT_BINARY APP_ID
# Needs a display (the app opens its window); run inside build-aux/with-test-session.
set -u
service=$1 binary=$2 app_id=$3
path=/$(printf '%s' "$app_id" | tr . /)

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: run inside build-aux/with-test-session" >&2
  exit 77
fi

grep -qx "Name=$app_id" "$service" || { echo "service file Name is not $app_id" >&2; exit 1; }
grep -q '^Exec=.*/astra-tokens --gapplication-service$' "$service" \
  || { echo "service file does not run astra-tokens --gapplication-service" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/astra-dbus.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/services"
sed "s|^Exec=.*/astra-tokens |Exec=$binary |" "$service" > "$tmp/services/$app_id.service"

cat > "$tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

cat > "$tmp/inner.sh" <<'INNER'
set -u
app_id=$1 path=$2
fail () { echo "FAIL: $*" >&2; exit 1; }

# Nothing runs yet: the call below makes the bus start the app from the service file.
gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.NameHasOwner "$app_id" | grep -q false \
  || fail "$app_id is already on the bus"

gdbus call --session --timeout 60 --dest "$app_id" --object-path "$path" \
  --method org.freedesktop.Application.Activate '{}' > /dev/null \
  || fail "activating $app_id by D-Bus"
echo "ok: the bus started $app_id from its service file and it answered Activate"

pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID "$app_id" | tr -dc '0-9')
[ -n "$pid" ] || fail "no process owns $app_id"

actions=$(gdbus call --session --dest "$app_id" --object-path "$path" \
  --method org.gtk.Actions.List) || fail "listing the app actions"
for a in quit preferences about; do
  printf '%s' "$actions" | grep -q "'$a'" || fail "app.$a is not exported: $actions"
done
echo "ok: app actions exported: $actions"

gdbus call --session --dest "$app_id" --object-path "$path" \
  --method org.freedesktop.Application.ActivateAction quit '[]' '{}' > /dev/null \
  || fail "activating app.quit"
i=0
while kill -0 "$pid" 2>/dev/null; do
  i=$((i + 1))
  [ "$i" -le 300 ] || fail "the app did not quit after app.quit"
  sleep 0.1
done
echo "ok: app.quit ended the service"
INNER

dbus-run-session --config-file="$tmp/bus.conf" -- sh "$tmp/inner.sh" "$app_id" "$path"
