#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a program that the build, the tests or the scripts call would be missing on a
# fresh Debian machine: every program named in them must come from a package that
# build-aux/deps.sh installs, from one of those packages' dependencies, or from a package
# that every Debian system has (Essential or Priority: required). A program installed here
# by hand makes CI red on a clean machine, and this is where that is found first.
#
# The programs are found generously (every word of the shell scripts outside comments,
# find_program() in the meson files, string literals in the C and Python tests) and kept
# when this machine has them on PATH; a word that is not a program costs nothing.
#
# Usage: check-deps.sh SOURCE_DIR
set -uo pipefail
srcdir=${1:-$(dirname "$0")/..}
cd "$srcdir" || exit 1

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "1..0 # SKIP not a Debian system: no dpkg-query"
  exit 0
fi

# shellcheck source=build-aux/deps.sh
. build-aux/deps.sh

# Words that are prose in messages here, not calls.
prose_words=" which time file less more man column view "

shell_scripts=(build-aux/run build-aux/test build-aux/bench build-aux/with-test-session
               build-aux/test-summary build-aux/deps.sh .ci/run)
mapfile -t -O "${#shell_scripts[@]}" shell_scripts < <(ls tests/*.sh tests/fuzz/*.sh 2>/dev/null)

words_of_shell () { sed -e 's/^[[:space:]]*#.*$//' -e 's/[[:space:]]#.*$//' "$@"; }
words_of_meson () { grep -ohE "find_program\('[^']+'" "$@" | sed -E "s/find_program\('([^']+)'/\1/"; }
words_of_literals () { grep -ohE "['\"][A-Za-z0-9][A-Za-z0-9._+-]*['\"]" "$@" | tr -d "'\""; }

mapfile -t candidates < <(
  {
    words_of_shell "${shell_scripts[@]}" | grep -oE '[A-Za-z0-9][A-Za-z0-9._+-]*'
    words_of_meson $(find . -name meson.build -not -path './_build*' -not -path './subprojects/*')
    words_of_literals tests/*.c tests/*.py tests/fuzz/*.c benchmarks/*.c 2>/dev/null
  } | sort -u)

# The program's own file in a Debian directory: a pyenv or /usr/local copy does not count.
debian_path_of ()
{
  local name=$1 dir
  case $name in
    /*) [ -x "$name" ] && printf '%s\n' "$name"; return ;;
    */*) return ;;
  esac
  for dir in /usr/bin /usr/sbin /bin /sbin; do
    if [ -x "$dir/$name" ] && [ ! -d "$dir/$name" ]; then
      printf '%s\n' "$dir/$name"
      return
    fi
  done
}

# Which package owns each path, asked once for all of them (dpkg-query -S is slow). A
# package's file list may name /bin/x where the file sits in /usr/bin (merged /usr), or the
# path may be a symlink (the alternatives system), so each spelling is asked for.
declare -A owner=()
spellings_of ()
{
  local path=$1 real
  real=$(readlink -f "$path")
  printf '%s\n' "$path" "${path#/usr}" "/usr$path" "$real" "${real#/usr}" "/usr$real"
}
load_owners ()
{
  local line
  while IFS= read -r line; do
    case $line in diversion\ *) continue ;; esac
    owner[${line#*: }]=${line%%: *}
  done < <(dpkg-query -S "$@" 2>/dev/null)
}
package_of ()
{
  local p
  while read -r p; do
    if [ -n "${owner[$p]:-}" ]; then
      printf '%s\n' "${owner[$p]%%,*}" | cut -d: -f1
      return
    fi
  done < <(spellings_of "$1")
}

wanted=("${ASTRA_BUILD_PACKAGES[@]}" "${ASTRA_RUNTIME_PACKAGES[@]}" "${ASTRA_TEST_PACKAGES[@]}"
        "${ASTRA_SANITIZE_PACKAGES[@]}" "${ASTRA_BENCH_PACKAGES[@]}")
declare -A allowed=()
for pkg in "${wanted[@]}"; do allowed[$pkg]=1; done
# Their dependencies, as far as they are installed here (Depends and Pre-Depends).
mapfile -t installed_wanted < <(for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status} ${Package}\n' "$pkg" 2>/dev/null | awk '/ installed /{print $4}'
done | sort -u)
if [ "${#installed_wanted[@]}" -gt 0 ]; then
  while read -r pkg; do
    allowed[${pkg%%:*}]=1
  done < <(apt-cache depends --recurse --installed --important "${installed_wanted[@]}" 2>/dev/null \
             | grep -vE '^[[:space:]]|^<')
fi
while read -r pkg essential priority; do
  if [ "$essential" = yes ] || [ "$priority" = required ]; then allowed[${pkg%%:*}]=1; fi
done < <(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n')

declare -A path_of=()
for word in "${candidates[@]}"; do
  case $prose_words in *" $word "*) continue ;; esac
  [ "$(type -t "$word" 2>/dev/null)" = file ] || [[ $word == /* ]] || continue
  path=$(debian_path_of "$word")
  [ -n "$path" ] && path_of[$word]=$path
done
mapfile -t all_spellings < <(for path in "${path_of[@]}"; do spellings_of "$path"; done | sort -u)
load_owners "${all_spellings[@]}"

n=0 failures=0
for word in $(printf '%s\n' "${!path_of[@]}" | sort); do
  path=${path_of[$word]}
  n=$((n + 1))
  pkg=$(package_of "$path")
  if [ -z "$pkg" ]; then
    echo "not ok $n - $word ($path) belongs to no Debian package"
    failures=$((failures + 1))
  elif [ -z "${allowed[$pkg]:-}" ]; then
    echo "not ok $n - $word comes from $pkg, which build-aux/deps.sh does not install" \
         "(add it to one of its lists)"
    failures=$((failures + 1))
  else
    echo "ok $n - $word from $pkg"
  fi
done
echo "1..$n"
[ "$failures" -eq 0 ]
