#!/usr/bin/env bash
# Installs runbook under PREFIX (default /usr/local): the release binary (the Swift runtime
# linked in; on the host it needs only libcmark and libmimalloc), the man page (docs/runbook.1)
# and the bash, zsh and fish completions.
#
#   scripts/install.sh            # /usr/local/bin/runbook, /usr/local/share/man/man1/runbook.1, ...
#   scripts/install.sh ~/.local
set -euo pipefail
prefix=${1:-/usr/local}
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --static-swift-stdlib --product runbook >&2
bin=.build/release/runbook
share="$prefix/share"
install -d "$prefix/bin" "$share/man/man1" "$share/bash-completion/completions" "$share/zsh/site-functions" \
    "$share/fish/vendor_completions.d"
install -m 755 "$bin" "$prefix/bin/runbook"
install -m 644 docs/runbook.1 "$share/man/man1/runbook.1"
"$bin" --generate-completion-script bash > "$share/bash-completion/completions/runbook"
"$bin" --generate-completion-script zsh > "$share/zsh/site-functions/_runbook"
"$bin" --generate-completion-script fish > "$share/fish/vendor_completions.d/runbook.fish"
echo "install: $prefix/bin/runbook ($("$prefix/bin/runbook" --version)), its man page and completions under $share" >&2
