#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a throw-away DESTDIR and checks that the tree is a complete GNOME
# application: binaries, desktop file, metainfo, GSettings schema, icons, translations and
# the D-Bus service file, each validated where it was installed. Then it runs the installed
# binary against the installed (and compiled) schema.
#
# Usage: check-install.sh BUILD_DIR SOURCE_DIR APP_ID PREFIX BINDIR DATADIR LOCALEDIR VERSION
set -u
builddir=$1 srcdir=$2 app_id=$3 prefix=$4 bindir=$5 datadir=$6 localedir=$7 version=$8

tmp=$(mktemp -d "${TMPDIR:-/tmp}/astra-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
destdir=$tmp/dest
failures=0

fail () { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok () { echo "ok: $*"; }
check_file () { if [ -f "$1" ]; then ok "installed $2"; else fail "$2 not installed at $1"; fi; }

# Relative option values are relative to the prefix; absolute ones stand alone.
under_prefix () { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
bin=$destdir$(under_prefix "$bindir")
share=$destdir$(under_prefix "$datadir")
locale=$destdir$(under_prefix "$localedir")

if ! meson install -C "$builddir" --no-rebuild --quiet --destdir "$destdir" > "$tmp/install.log" 2>&1; then
  cat "$tmp/install.log" >&2
  fail "meson install --destdir"
  exit 1
fi
ok "meson install --destdir $destdir"

# Binaries
for b in astra-tokens astra-sim; do
  if [ -x "$bin/$b" ]; then ok "binary $b"; else fail "binary $b missing from $bin"; fi
done

# Desktop file
desktop=$share/applications/$app_id.desktop
check_file "$desktop" "desktop file"
if desktop-file-validate "$desktop"; then ok "desktop-file-validate"; else fail "desktop-file-validate"; fi
grep -qx "Icon=$app_id" "$desktop" || fail "desktop file Icon is not $app_id"
grep -qx 'DBusActivatable=true' "$desktop" || fail "desktop file is not DBusActivatable"
grep -q '^Name\[de\]=' "$desktop" || fail "desktop file has no German translation"
exec_bin=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
[ -x "$bin/$exec_bin" ] || fail "desktop file Exec=$exec_bin is not an installed binary"

# D-Bus service: the bus starts the app by its id, as DBusActivatable promises.
service=$share/dbus-1/services/$app_id.service
check_file "$service" "D-Bus service file"
grep -qx "Name=$app_id" "$service" || fail "D-Bus service Name is not $app_id"
grep -qx "Exec=$(under_prefix "$bindir")/astra-tokens --gapplication-service" "$service" \
  || fail "D-Bus service Exec does not start astra-tokens --gapplication-service"

# GNOME Shell search provider: names the desktop file, the bus name the service file starts
# and the object the app exports (src/astra-search-provider.c), in version 2.
ini=$share/gnome-shell/search-providers/$app_id.search-provider.ini
check_file "$ini" "GNOME Shell search provider"
grep -qx '\[Shell Search Provider\]' "$ini" || fail "search provider has no [Shell Search Provider] group"
grep -qx "DesktopId=$app_id.desktop" "$ini" || fail "search provider DesktopId is not $app_id.desktop"
[ -f "$share/applications/$(sed -n 's/^DesktopId=//p' "$ini")" ] \
  || fail "search provider DesktopId names no installed desktop file"
grep -qx "BusName=$app_id" "$ini" || fail "search provider BusName is not $app_id"
grep -qx "ObjectPath=/$(printf '%s' "$app_id" | tr . /)/SearchProvider" "$ini" \
  || fail "search provider ObjectPath is not the app's /SearchProvider"
grep -qx 'Version=2' "$ini" || fail "search provider Version is not 2"

# Metainfo, validated pedantically where it was installed.
metainfo=$share/metainfo/$app_id.metainfo.xml
check_file "$metainfo" "metainfo"
if appstreamcli validate --no-net "$metainfo"; then ok "appstreamcli validate"; else fail "appstreamcli validate"; fi
if "$srcdir/tests/check-metainfo-pedantic.sh" "$metainfo" > "$tmp/pedantic.log" 2>&1; then
  ok "appstreamcli validate --pedantic"
else
  cat "$tmp/pedantic.log" >&2
  fail "appstreamcli validate --pedantic"
fi
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
  || fail "metainfo launchable does not name the desktop file"
grep -q 'xml:lang="de"' "$metainfo" || fail "metainfo has no German translation"

# GSettings schema: strict, and compiled into the tree for the run below.
schemas=$share/glib-2.0/schemas
check_file "$schemas/io.github.astratokens.AstraTokens.gschema.xml" "GSettings schema"
if glib-compile-schemas --strict "$schemas"; then ok "glib-compile-schemas --strict"; else fail "glib-compile-schemas --strict"; fi

# Icons: well-formed SVG, and a valid hicolor tree (the cache builder reads every icon).
scalable=$share/icons/hicolor/scalable/apps/$app_id.svg
symbolic=$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
check_file "$scalable" "scalable icon"
check_file "$symbolic" "symbolic icon"
if xmllint --noout "$scalable" "$symbolic"; then ok "icons are well-formed XML"; else fail "icons are not well-formed"; fi
grep -q '<svg' "$scalable" && grep -q '<svg' "$symbolic" || fail "icons are not SVG"
if gtk4-update-icon-cache --quiet --ignore-theme-index --force "$share/icons/hicolor" \
   && gtk4-update-icon-cache --validate --ignore-theme-index "$share/icons/hicolor" >/dev/null 2>&1; then
  ok "icon cache builds and validates"
else
  fail "gtk4-update-icon-cache on the installed icons"
fi

# Translations: the German catalog is installed and answers through gettext.
mo=$locale/de/LC_MESSAGES/astra-tokens.mo
check_file "$mo" "German translation"
german=$(TEXTDOMAINDIR=$locale LC_ALL=C.UTF-8 LANGUAGE=de gettext -d astra-tokens "Preferences")
if [ "$german" = "Einstellungen" ]; then ok "installed catalog translates"; else fail "installed catalog gave '$german'"; fi

# The installed binary runs with the installed schema.
out=$(GSETTINGS_SCHEMA_DIR=$schemas "$bin/astra-tokens" --version 2>&1)
if [ "$out" = "astra-tokens $version" ]; then ok "astra-tokens --version: $out"; else fail "astra-tokens --version printed '$out'"; fi
if GSETTINGS_SCHEMA_DIR=$schemas GSETTINGS_BACKEND=memory \
   gsettings get io.github.astratokens.AstraTokens clipboard-clear-seconds > "$tmp/gsettings.log" 2>&1; then
  ok "installed schema is readable: clipboard-clear-seconds = $(cat "$tmp/gsettings.log")"
else
  cat "$tmp/gsettings.log" >&2
  fail "installed schema cannot be read by gsettings"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all install checks passed"
