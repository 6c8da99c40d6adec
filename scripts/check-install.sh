#!/usr/bin/env bash
# Part of the test command: installs runbook into a temporary prefix with scripts/install.sh, as
# a user would from a fresh clone, and checks that the installed binary runs, says its version,
# and that its man page and completions are there and read.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d /tmp/runbook-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
bash scripts/install.sh "$prefix" 2>/dev/null
version=$("$prefix/bin/runbook" --version)
case "$version" in
    "runbook "*" (libcmark "*")") ;;
    *) echo "check-install: unexpected --version: $version" >&2; exit 1 ;;
esac
MANWIDTH=80 man -l "$prefix/share/man/man1/runbook.1" 2>/dev/null | grep -q "runbook lab run" || {
    echo "check-install: man -l of the installed page does not show the commands" >&2
    exit 1
}
for file in share/bash-completion/completions/runbook share/zsh/site-functions/_runbook \
    share/fish/vendor_completions.d/runbook.fish; do
    grep -q "exec" "$prefix/$file" || { echo "check-install: $file does not complete the commands" >&2; exit 1; }
done
bash -n "$prefix/share/bash-completion/completions/runbook"
echo "check-install: $version installed, man page and completions in place"
