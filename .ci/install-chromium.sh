#!/usr/bin/env bash
# Make Debian's chromium available for the web UI's browser tests (tests/test_web_ui.py).
#
# The tests drive /usr/bin/chromium through playwright's API; they never download a browser
# (`playwright install` is not run anywhere). Idempotent: when /usr/bin/chromium is there it exits
# at once. CI sets EVENTSIFT_REQUIRE_BROWSER=1 so that the tests fail, not skip, without it.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    echo "install-chromium: present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-chromium: need root or sudo to install chromium" >&2; exit 1; }
    SUDO="sudo"
fi

echo "install-chromium: installing chromium and chromium-driver with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium chromium-driver

[[ -x "$CHROMIUM" ]] || { echo "install-chromium: chromium installed but no $CHROMIUM" >&2; exit 1; }
echo "install-chromium: ready: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
