#!/usr/bin/env bash
# Make a Java runtime available for PySpark (`eventsift spark`, tests/test_spark.py).
#
# PySpark 4 needs Java 17 or later; Debian's default-jre-headless is OpenJDK 17 on bookworm. Idempotent:
# when `java` is on the PATH it exits at once. Nothing is downloaded outside apt.
set -euo pipefail

if command -v java >/dev/null 2>&1; then
    echo "install-java: present: $(java -version 2>&1 | head -1)"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-java: need root or sudo to install default-jre-headless" >&2; exit 1; }
    SUDO="sudo"
fi

echo "install-java: installing default-jre-headless with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# The JRE's postinst expects man folders that slim images leave out.
$SUDO mkdir -p /usr/share/man/man1
$SUDO apt-get install -y -q --no-install-recommends default-jre-headless

command -v java >/dev/null || { echo "install-java: default-jre-headless installed but no java on PATH" >&2; exit 1; }
echo "install-java: ready: $(java -version 2>&1 | head -1)"
