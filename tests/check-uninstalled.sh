#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The binary the build leaves in _build/src runs by hand, as the README says it does: with
# no GSETTINGS_SCHEMA_DIR it finds the schema compiled in the build folder and the
# catalogs built in _build/po. A copy outside the build folder (an installed binary) never
# looks there, and without a schema it fails with a sentence instead of an abort.
# Run inside build-aux/with-test-session (a private bus and a display).
#
# Usage: check-uninstalled.sh BUILD_DIR VERSION
set -u
builddir=$1 version=$2
bin=$builddir/src/astra-tokens

tmp=$(mktemp -d "${TMPDIR:-/tmp}/astra-uninstalled.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failures=0
ok () { n=$((n + 1)); echo "ok $n - $*"; }
fail () { n=$((n + 1)); echo "not ok $n - $*"; failures=$((failures + 1)); }

# As a person's shell has it: no schema folder, no test settings backend, and system data
# folders that hold no installed copy of our schema. They do hold the desktop's other
# schemas, as every system does: glib-networking's GNOME proxy resolver, which the app's
# first network client loads (at startup, for an organization stored in the keyring),
# aborts without org.gnome.system.proxy.
clean () {
  env -u GSETTINGS_SCHEMA_DIR -u GSETTINGS_BACKEND -u LANGUAGE -u LC_ALL \
      XDG_DATA_DIRS="$tmp/system" LANG=C.UTF-8 "$@"
}
mkdir -p "$tmp/system/glib-2.0/schemas"
for schema in /usr/share/glib-2.0/schemas/*.xml /usr/share/glib-2.0/schemas/*.override; do
  case "$(basename "$schema")" in
    io.github.astratokens.*|'*.xml'|'*.override') ;;
    *) cp "$schema" "$tmp/system/glib-2.0/schemas/" ;;
  esac
done
glib-compile-schemas "$tmp/system/glib-2.0/schemas" 2>/dev/null || true

out=$(clean "$bin" --version 2>&1)
if [ "$out" = "astra-tokens $version" ]; then ok "--version"; else fail "--version said: $out"; fi

out=$(clean env LANGUAGE=de "$bin" --help 2>&1)
if printf '%s\n' "$out" | grep -q 'Die Version ausgeben und beenden'; then
  ok "--help in German from the build folder's catalog"
else
  fail "--help with LANGUAGE=de is not German: $out"
fi

# A real start: the window opens, and the app is still running a few seconds later.
clean timeout 4 "$bin" > "$tmp/start.log" 2>&1
status=$?
if [ "$status" -eq 124 ] && ! grep -q 'not installed' "$tmp/start.log"; then
  ok "starts from the build folder without GSETTINGS_SCHEMA_DIR"
else
  fail "start from the build folder ended with status $status"
  sed 's/^/# /' "$tmp/start.log"
fi

# A copy elsewhere is an installed binary: it must not use the build folder, and with no
# schema it says what to do.
cp "$bin" "$tmp/astra-tokens"
clean "$tmp/astra-tokens" > "$tmp/copy.log" 2>&1
status=$?
if [ "$status" -eq 1 ] && grep -q 'build-aux/run' "$tmp/copy.log"; then
  ok "a binary outside the build folder without a schema explains itself"
else
  fail "a binary outside the build folder ended with status $status"
  sed 's/^/# /' "$tmp/copy.log"
fi

echo "1..$n"
[ "$failures" -eq 0 ]
