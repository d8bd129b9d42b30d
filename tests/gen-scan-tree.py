#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes a folder tree with Astra tokens planted in it, for the scanner's tests and
# build-aux/bench, and a manifest of what `astra-tokens-cli scan --json` must report.
#
#   gen-scan-tree.py kinds DIR MANIFEST [--seed N]
#       a home folder in miniature: a token in every kind of file (portal CSV, .env,
#       .bashrc export, .astrarc, JSON config, notebook), decoys, and tokens where the
#       scanner must not look (node_modules, .git/objects, a virtual environment, a cache,
#       a binary file, behind a symbolic link out of the tree, over 50 MiB with --large)
#   gen-scan-tree.py bulk DIR MANIFEST --files N --size BYTES --tokens K [--seed N]
#       N files of about BYTES in total (text, 76-character lines), K tokens planted
#
# MANIFEST: one JSON object per line: path (relative to DIR), line, kind, client_id,
# and token/secret (so a test can check that they are never printed). Only the random
# generator's seed decides the contents: the same arguments give the same tree.
import base64
import hashlib
import json
import os
import random
import string
import sys

rng = random.Random()


def client_id():
    return ''.join(rng.choice(string.ascii_letters) for _ in range(24))


def secret():
    alphabet = string.ascii_letters + string.digits + '+,-._'
    return ''.join(rng.choice(alphabet) for _ in range(128))


def new_token():
    cid, sec = client_id(), secret()
    return cid, sec, 'AstraCS:%s:%s' % (cid, hashlib.sha256(sec.encode()).hexdigest())


def filler(nbytes):
    """Text of about nbytes: lines of 76 base64 characters (upper and lower case, digits)."""
    raw = rng.randbytes(nbytes * 3 // 4 + 3)
    return base64.encodebytes(raw)[:nbytes].decode('ascii')


class Tree:
    def __init__(self, root, manifest):
        self.root = root
        self.manifest = open(manifest, 'w')

    def write(self, rel, data, mode='w'):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(data)
        return path

    def expect(self, rel, line, kind, cid, token=None, sec=None):
        self.manifest.write(json.dumps({'path': rel, 'line': line, 'kind': kind,
                                        'client_id': cid, 'token': token,
                                        'secret': sec}) + '\n')


def kinds(tree, large):
    t = tree
    # The portal's download: BOM, CRLF, every field quoted, a secret with a comma.
    rows = [new_token() for _ in range(2)]
    csv = '\ufeff"Client Id","Client Secret","Role","Token"\r\n'
    for cid, sec, tok in rows:
        csv += '"%s","%s","Database Administrator","%s"\r\n' % (cid, sec, tok)
    t.write('Downloads/GeneratedToken.csv', csv)
    for i, (cid, sec, tok) in enumerate(rows):
        t.expect('Downloads/GeneratedToken.csv', 2 + i, 'portal-csv-secret', cid, tok, sec)

    cid, sec, tok = new_token()
    t.write('projects/app/.env', '# settings\nASTRA_DB_ID=1234\nASTRA_DB_APPLICATION_TOKEN=%s\n' % tok)
    t.expect('projects/app/.env', 3, 'dotenv', cid, tok)

    cid, sec, tok = new_token()
    t.write('projects/app/.env.production', 'ASTRA_TOKEN = "%s"\n' % tok)
    t.expect('projects/app/.env.production', 1, 'dotenv', cid, tok)

    cid, sec, tok = new_token()
    t.write('.bashrc', 'alias ll="ls -l"\n\nexport ASTRA_DB_APPLICATION_TOKEN="%s"\n' % tok)
    t.expect('.bashrc', 3, 'shell-export', cid, tok)

    cid, sec, tok = new_token()
    cid2, sec2, tok2 = new_token()
    t.write('.astrarc', '[default]\nASTRA_DB_APPLICATION_TOKEN=%s\n\n[dev]\n'
            'ASTRA_DB_APPLICATION_TOKEN=%s\nASTRA_ENV=DEV\n' % (tok, tok2))
    t.expect('.astrarc', 2, 'astrarc-profile', cid, tok)
    t.expect('.astrarc', 5, 'astrarc-profile', cid2, tok2)

    cid, sec, tok = new_token()
    t.write('projects/app/config.json', json.dumps({'db': {'id': 'x', 'token': tok}}, indent=2) + '\n')
    t.expect('projects/app/config.json', 4, 'token', cid, tok)

    cid, sec, tok = new_token()
    notebook = {'cells': [{'cell_type': 'code', 'source': [
        'import os\n', 'os.environ["ASTRA_DB_APPLICATION_TOKEN"] = "%s"\n' % tok]}],
        'nbformat': 4}
    t.write('notebooks/explore.ipynb', json.dumps(notebook, indent=1) + '\n')
    t.expect('notebooks/explore.ipynb', 7, 'token', cid, tok)

    # A token at a read-block boundary (the scanner reads 256 KiB blocks): lines of 64
    # bytes, the token's first byte 40 bytes before 262144.
    cid, sec, tok = new_token()
    block = 256 * 1024
    head = ('x' * 63 + '\n') * ((block - 40) // 64)
    pad = 'y' * (block - 40 - len(head) - 1) + ' '
    t.write('notes/boundary.txt', head + pad + tok + '\n' + ('z' * 63 + '\n') * 100)
    t.expect('notes/boundary.txt', (block - 40) // 64 + 1, 'token', cid, tok)

    # Two tokens on one line, in a shell script that does not export them.
    cid, sec, tok = new_token()
    cid2, sec2, tok2 = new_token()
    t.write('bin/deploy.sh', '#!/bin/sh\nA=%s B=%s ./run\n' % (tok, tok2))
    t.expect('bin/deploy.sh', 2, 'token', cid, tok)
    t.expect('bin/deploy.sh', 2, 'token', cid2, tok2)

    # Decoys: none of these is a token.
    cid, sec, tok = new_token()
    hexpart = tok.split(':')[2]
    decoys = [
        'AstraCS:%s:%s' % (cid[:23], hexpart),              # client id too short
        'AstraCS:%sQ:%s' % (cid, hexpart),                  # client id too long
        'AstraCS:%s:%s' % (cid, hexpart[:63]),              # hash too short
        'AstraCS:%s:%s' % (cid, hexpart.upper()),           # upper-case hex
        'AstraCS:%s:%s' % (cid, hexpart + 'ab12'),          # inside a longer hex run
        'AstraCS:%s:%sZ' % (cid, hexpart),                  # followed by letters
        'AstraCS:%s:%s\n%s' % (cid, hexpart[:30], hexpart[30:]),   # split over two lines
        'AstraCS:%s-%s' % (cid, hexpart),                   # wrong separator
        'AstraCS:',
        'astracs:%s:%s' % (cid, hexpart),                   # wrong case of the prefix
        'word' + tok,                                        # glued to a word
        'deadbeef' + tok + '.',                              # inside a longer hex run
    ]
    t.write('notes/decoys.md', '\n'.join('- `%s`' % d for d in decoys) + '\n')
    t.write('notes/truncated.txt', 'AstraCS:%s:%s' % (cid, hexpart[:50]))

    # Where the scanner must not look, each with a real token inside.
    for rel in ['node_modules/pkg/.env', '.git/objects/ab/cdef01', 'venv/lib/site.py',
                '.cache/tool/token.txt', 'projects/app/__pycache__/settings.txt',
                'build/CACHEDIR-tagged/t.txt']:
        cid, sec, tok = new_token()
        t.write(rel, 'ASTRA_DB_APPLICATION_TOKEN=%s\n' % tok)
    t.write('venv/pyvenv.cfg', 'home = /usr/bin\n')
    t.write('build/CACHEDIR-tagged/CACHEDIR.TAG', 'Signature: 8a477f597d28d172789f06886806bc55\n')
    # .git/config is read (a token in a remote URL is a leak too)
    cid, sec, tok = new_token()
    t.write('.git/config', '[remote "origin"]\n\turl = https://token:%s@example.com/r.git\n' % tok)
    t.expect('.git/config', 2, 'token', cid, tok)

    cid, sec, tok = new_token()
    t.write('Pictures/image.bin', b'\x89PNG\r\n\x1a\n\x00\x00' + tok.encode() + b'\n', 'wb')

    # Outside the tree, behind a symbolic link; and a loop.
    outside = os.path.abspath(t.root).rstrip('/') + '-outside'
    os.makedirs(outside, exist_ok=True)
    cid, sec, tok = new_token()
    with open(os.path.join(outside, '.env'), 'w') as f:
        f.write('ASTRA_DB_APPLICATION_TOKEN=%s\n' % tok)
    os.symlink(outside, os.path.join(t.root, 'link-out'))
    os.symlink('.', os.path.join(t.root, 'projects/loop'))
    os.symlink('../Downloads/GeneratedToken.csv', os.path.join(t.root, 'notes/csv-link'))

    if large:
        cid, sec, tok = new_token()
        with open(os.path.join(t.root, 'large.log'), 'w') as f:
            line = 'x' * 1023 + '\n'
            f.write(line * (60 * 1024))
            f.write('token %s\n' % tok)


def bulk(tree, files, size, tokens):
    avg = max(size // files, 64)
    planted = set(rng.sample(range(files), tokens))
    for i in range(files):
        # sizes vary around the average: many small files, some large ones
        n = int(avg * rng.choice([0.1, 0.25, 0.5, 1, 1, 1.5, 2.65]))
        rel = 'd%03d/s%02d/f%05d.txt' % (i % 500, (i // 500) % 20, i)
        text = filler(n)
        if i in planted:
            cid, sec, tok = new_token()
            cut = text.rfind('\n', 0, len(text) // 2) + 1
            line = text.count('\n', 0, cut) + 1
            text = text[:cut] + 'token: ' + tok + '\n' + text[cut:]
            tree.expect(rel, line, 'token', cid, tok)
        tree.write(rel, text)


def main(argv):
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument('mode', choices=['kinds', 'bulk'])
    parser.add_argument('dir')
    parser.add_argument('manifest')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--large', action='store_true')
    parser.add_argument('--files', type=int, default=1000)
    parser.add_argument('--size', type=int, default=10 * 1024 * 1024)
    parser.add_argument('--tokens', type=int, default=10)
    args = parser.parse_args(argv)
    rng.seed(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    tree = Tree(args.dir, args.manifest)
    if args.mode == 'kinds':
        kinds(tree, args.large)
    else:
        bulk(tree, args.files, args.size, args.tokens)
    tree.manifest.close()


if __name__ == '__main__':
    main(sys.argv[1:])
