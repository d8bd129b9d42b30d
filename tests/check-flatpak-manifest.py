#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the Flatpak manifest: valid JSON, the GNOME runtime, the app id, a meson module
# without tests and benchmarks, and the narrowest permissions. Every finish-arg must be on
# the allow-list below, so widening the sandbox means changing this test on purpose.
# Inside Flatpak libsecret stores through the Secret portal, so the manifest must never ask
# for the host's Secret Service (org.freedesktop.secrets) or for the whole home directory.
# Portals (org.freedesktop.portal.*: Background, Secret, FileChooser, Notification) are
# reachable from every sandbox; asking for their names is a mistake Flathub's linter flags.
#
# Usage: check-flatpak-manifest.py MANIFEST APP_ID
import json
import sys

ALLOWED = {
    '--share=network',        # the Astra DevOps API (and the demo simulator on loopback)
    '--share=ipc',            # X11 shared memory
    '--socket=fallback-x11',  # X11 only where there is no Wayland
    '--socket=wayland',
    '--device=dri',           # GL rendering
    '--filesystem=~/.astrarc:ro',   # import from the Astra CLI configuration, read-only
    # GPGME runs the runtime's gpg on the user's keyring (public keys to encrypt exports to;
    # gpg writes lock files and its trust database there, hence not read-only), and gpg
    # reaches the host's gpg-agent (secret keys, pinentry) through its socket in
    # $XDG_RUNTIME_DIR/gnupg (connecting to a socket works on a read-only mount).
    '--filesystem=~/.gnupg',
    '--filesystem=xdg-run/gnupg:ro',
}
REQUIRED = {
    '--share=network', '--share=ipc', '--socket=fallback-x11', '--socket=wayland',
    '--device=dri', '--filesystem=~/.gnupg', '--filesystem=xdg-run/gnupg:ro',
}


def main():
    path, app_id = sys.argv[1], sys.argv[2]
    problems = []
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f'{path}: not valid JSON: {e}', file=sys.stderr)
        return 1

    text = json.dumps(manifest)
    if 'org.freedesktop.secrets' in text:
        problems.append('asks for org.freedesktop.secrets: use the Secret portal (libsecret does)')
    if manifest.get('id', manifest.get('app-id')) != app_id:
        problems.append(f'id is not {app_id}')
    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        problems.append('runtime/sdk are not org.gnome.Platform/org.gnome.Sdk')
    if not str(manifest.get('runtime-version', '')).strip():
        problems.append('no runtime-version')
    if manifest.get('command') != 'astra-tokens':
        problems.append('command is not astra-tokens')

    args = manifest.get('finish-args', [])
    for arg in args:
        if arg not in ALLOWED:
            problems.append(f'finish-arg {arg} is not on the allow-list')
        if arg.startswith('--filesystem=') and arg.split('=', 1)[1].split(':')[0] in (
                'home', 'host', 'host-os', 'host-etc', '~', 'xdg-config', 'xdg-data'):
            problems.append(f'{arg} opens far more than the app needs')
        if arg.startswith('--talk-name=org.freedesktop.portal.'):
            problems.append(f'{arg}: portals are reachable without it')
    for arg in REQUIRED - set(args):
        problems.append(f'missing finish-arg {arg}')
    if len(args) != len(set(args)):
        problems.append('duplicate finish-args')

    modules = manifest.get('modules', [])
    app_modules = [m for m in modules if isinstance(m, dict) and m.get('name') == 'astra-tokens']
    if len(app_modules) != 1:
        problems.append('no single astra-tokens module')
    else:
        module = app_modules[0]
        if module.get('buildsystem') != 'meson':
            problems.append('the astra-tokens module is not built with meson')
        opts = module.get('config-opts', [])
        for opt in ('-Dtests=false', '-Dbenchmarks=false'):
            if opt not in opts:
                problems.append(f'the astra-tokens module lacks {opt}')

    for p in problems:
        print(f'{path}: {p}', file=sys.stderr)
    if not problems:
        print(f'ok: {path}: {len(args)} finish-args, all on the allow-list')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
