#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `astra-tokens-cli scan` on trees it has never seen (tests/gen-scan-tree.py, a new seed
# each run unless ASTRA_SCAN_SEED is set): it reports every planted token and nothing else
# (no decoy, nothing from node_modules, .git/objects, a virtual environment, a cache, a
# binary file or behind a symbolic link out of the tree), never a token or secret, and
# exits 1 / 0 / 2 / 64 as src/cli/astra-cli.h says. Runs without a session bus: the
# keyring's part is test-scan-classify's.
# Usage: test-cli-scan.sh ASTRA_TOKENS_CLI GEN_SCAN_TREE_PY
set -uo pipefail
cli=${1:?usage: test-cli-scan.sh CLI GENERATOR}
gen=${2:?usage: test-cli-scan.sh CLI GENERATOR}
cli=$(realpath "$cli") gen=$(realpath "$gen")
seed=${ASTRA_SCAN_SEED:-$RANDOM}
work=$(mktemp -d "${TMPDIR:-/tmp}/test-cli-scan.XXXXXX") || exit 1
trap 'rm -rf "$work" "$work/tree-outside"' EXIT
unset DBUS_SESSION_BUS_ADDRESS
export LC_ALL=C.UTF-8

n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; printf '# %s\n' "$@"; }
check () { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what" "seed $seed"; fi; }

echo "# seed $seed"
python3 "$gen" kinds "$work/tree" "$work/manifest" --seed "$seed" || exit 1
(cd "$work" && "$cli" scan --json --offline tree >"$work/out.json" 2>"$work/err")
status=$?
check "a tree with tokens: exit status 1 (got $status)" test "$status" -eq 1
check "nothing on stderr without --skipped" test ! -s "$work/err"

compare ()
{
  python3 - "$work/manifest" "$work/out.json" <<'PY'
import json, sys
expected = [json.loads(l) for l in open(sys.argv[1])]
lines = open(sys.argv[2]).read().splitlines()
found = [json.loads(l) for l in lines]
key = lambda o: ('tree/' + o['path'] if 'token' in o else o['path'], o['line'], o['kind'], o['client_id'])
want = sorted(key(o) for o in expected)
got = sorted((o['path'], o['line'], o['kind'], o['client_id']) for o in found)
status = 0
for k in sorted(set(want) - set(got)):
    print('# missed:', k); status = 1
for k in sorted(set(got) - set(want)):
    print('# reported but not planted:', k); status = 1
if len(got) != len(want):
    print('# %d findings for %d planted' % (len(got), len(want))); status = 1
for o in found:
    for member in ('path', 'line', 'kind', 'client_id', 'state', 'masked'):
        if member not in o:
            print('# a finding without', member, o); status = 1
    if o['state'] != 'unknown':
        print('# offline and without a keyring, a state other than unknown:', o); status = 1
    if not o['masked'].startswith('AstraCS:') or '****' not in o['masked'] or len(o['masked']) != 20:
        print('# not masked as astra-cli does:', o['masked']); status = 1
text = open(sys.argv[2]).read()
for o in expected:
    for secret in (o['token'], o['secret'], o['token'] and o['token'].split(':')[2]):
        if secret and secret in text:
            print('# a secret in the output of', o['path']); status = 1
sys.exit(status)
PY
}
check "--json: every planted token, nothing else, never a secret" compare

(cd "$work" && "$cli" scan --offline tree >"$work/out.txt" 2>"$work/out.err")
status=$?
check "human output: exit status 1 (got $status)" test "$status" -eq 1
check "human output: one line per finding" \
  test "$(wc -l <"$work/out.txt")" -eq "$(wc -l <"$work/manifest")"
check "human output: path:line first" grep -q '^tree/\.bashrc:3	' "$work/out.txt"
check "human output: a closing word on stderr with the count" \
  grep -q "^$(wc -l <"$work/manifest") tokens in plain text" "$work/out.err"
no_secret_in_text ()
{
  python3 - "$work/manifest" "$work/out.txt" <<'PY'
import json, sys
text = open(sys.argv[2]).read()
for o in (json.loads(l) for l in open(sys.argv[1])):
    if o['token'] in text or (o['secret'] and o['secret'] in text) or o['token'][-64:] in text:
        sys.exit(1)
PY
}
check "human output: never a secret" no_secret_in_text

"$cli" scan --offline --skipped "$work/tree" >/dev/null 2>"$work/skipped"
check "--skipped names node_modules" grep -q 'tree/node_modules: ' "$work/skipped"
check "--skipped names the link out of the tree" grep -q 'tree/link-out: ' "$work/skipped"
check "--skipped names the binary file" grep -q 'tree/Pictures/image.bin: ' "$work/skipped"

mkdir -p "$work/clean/sub"
printf 'AstraCS:%s:%s\n' abcdefghijklmnopqrstuvwx "$(printf '%064d' 0 | tr 0 A)" >"$work/clean/sub/decoy"
printf 'nothing here\n' >"$work/clean/readme"
"$cli" scan --json --offline "$work/clean" >"$work/clean.out"
status=$?
check "a tree with only decoys: exit status 0 (got $status)" test "$status" -eq 0
check "a tree with only decoys: no output" test ! -s "$work/clean.out"

"$cli" scan --json --offline "$work/does-not-exist" >"$work/missing.out" 2>"$work/missing.err"
status=$?
check "a path that does not exist: exit status 2 (got $status)" test "$status" -eq 2
check "a path that does not exist: says so" grep -q 'does-not-exist' "$work/missing.err"

"$cli" scan --no-such-option >/dev/null 2>&1
status=$?
check "a wrong option: exit status 64 (got $status)" test "$status" -eq 64

"$cli" scan --help >"$work/help"
check "--help explains the pre-commit hook" grep -q 'pre-commit' "$work/help"
check "--help explains --no-keyring" grep -q -- '--no-keyring' "$work/help"
check "--help says --offline never prompts" grep -q -- '--offline never prompts' "$work/help"

"$cli" scan --json --no-keyring "$work/tree" >"$work/no-keyring.out" 2>"$work/no-keyring.err"
status=$?
check "--no-keyring: exit 1 and every planted token (got $status)" \
  test "$status" -eq 1 -a "$(wc -l <"$work/no-keyring.out")" -eq "$(wc -l <"$work/manifest")"
check "--no-keyring: nothing on stderr" test ! -s "$work/no-keyring.err"

# No path: the home folder.
HOME="$work/tree" "$cli" scan --json --offline >"$work/home.out"
status=$?
check "no path: the home folder (exit 1, every planted token)" \
  test "$status" -eq 1 -a "$(wc -l <"$work/home.out")" -eq "$(wc -l <"$work/manifest")"

# One file given as a path: only that file.
"$cli" scan --json --offline "$work/tree/.bashrc" >"$work/one.out"
status=$?
check "a file as the path: exit 1 and its one finding" \
  test "$status" -eq 1 -a "$(wc -l <"$work/one.out")" -eq 1

echo "1..$n"
exit $failed
