#!/usr/bin/env bash
# Installs what building and testing runbook needs on Debian/Ubuntu, and nothing already there.
# Sourced by the other scripts; safe to run again.
set -euo pipefail

# Debian packages runbook needs: libcmark-dev and libmimalloc-dev to build; the rest for the tests
# that run real things (libxml2-utils: xmllint validates the JUnit reports).
RUNBOOK_DEBIAN_PACKAGES=(libcmark-dev libmimalloc-dev pkg-config iproute2 net-tools procps nftables openssh-client openssh-server shellcheck man-db curl libxml2-utils)

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "setup: swift not found (install Swift 6 and put it on PATH)" >&2; exit 1; }

install_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_debian_packages "${RUNBOOK_DEBIAN_PACKAGES[@]}"

# Ansible (with the ansible.posix collection) for the test that runs exported playbooks.
install_ansible() {
    command -v ansible-playbook >/dev/null 2>&1 && return 0
    echo "setup: installing ansible from PyPI" >&2
    python3 -m pip install -q ansible >&2
}

# The JUnit schema Jenkins validates reports with (the xunit plugin's junit-10.xsd, MIT). It is
# not ours to commit, and PyPI is the one place it can be fetched from here: pytest's source
# archive carries a copy for its own tests. Pinned by version and checksum.
RUNBOOK_JUNIT_SCHEMA=.build/test-support/junit-10.xsd
install_junit_schema() {
    [ -s "$RUNBOOK_JUNIT_SCHEMA" ] && return 0
    local version=8.3.3 sum=70b98107bd648308a7952b06e6ca9a50bc660be218d53c257cc1fc94fda10181
    local work
    work=$(mktemp -d)
    echo "setup: fetching junit-10.xsd (pytest $version source archive)" >&2
    python3 -m pip download -q --no-deps --no-binary :all: "pytest==$version" -d "$work" >&2
    echo "$sum  $work/pytest-$version.tar.gz" | sha256sum -c --quiet -
    tar --no-same-owner -xzf "$work/pytest-$version.tar.gz" -C "$work" "pytest-$version/testing/example_scripts/junit-10.xsd"
    mkdir -p "$(dirname "$RUNBOOK_JUNIT_SCHEMA")"
    mv "$work/pytest-$version/testing/example_scripts/junit-10.xsd" "$RUNBOOK_JUNIT_SCHEMA"
    rm -rf "$work"
}
