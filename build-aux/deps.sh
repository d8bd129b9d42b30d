# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by build-aux/run, build-aux/test and build-aux/bench: installs whichever Debian
# packages are missing. On Debian or Ubuntu it uses apt-get (through sudo when not root);
# elsewhere it prints the package names and stops.

ASTRA_BUILD_PACKAGES=(
  meson ninja-build pkg-config gcc
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libgpgme-dev
  gettext desktop-file-utils appstream libxml2-utils
  glib-networking gtk-update-icon-cache libgtk-4-bin
)
ASTRA_RUNTIME_PACKAGES=(gnome-keyring dbus gpg gpg-agent)
ASTRA_TEST_PACKAGES=(
  xvfb xauth dbus dbus-bin gnome-keyring libsecret-tools at-spi2-core
  python3 python3-gi gir1.2-atspi-2.0 python3-pyatspi faketime git
  gpg gpg-agent x11-utils
)
ASTRA_SANITIZE_PACKAGES=(clang libclang-rt-14-dev llvm valgrind)
ASTRA_BENCH_PACKAGES=(xvfb xauth dbus gnome-keyring python3)

astra_missing_packages ()
{
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$pkg"
    fi
  done | sort -u
}

astra_install_packages ()
{
  local missing sudo=()
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "This system has no apt-get. Install these packages (Debian names) by hand:" >&2
    printf '  %s\n' "$@" >&2
    echo "then run this script again." >&2
    exit 2
  fi

  mapfile -t missing < <(astra_missing_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi

  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "Missing packages: ${missing[*]}; run as root or install sudo." >&2
      exit 2
    fi
    sudo=(sudo)
  fi

  echo "Installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq || true
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configure (or reconfigure) and build DIR with the remaining arguments as meson options.
astra_build ()
{
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
  meson compile -C "$dir"
}
