#!/usr/bin/env bash
# What the tests need beyond Python packages, from Debian's packages. Installed when missing and
# this user may (root, apt-get); otherwise one line naming the command, and exit status 1.
#   chromium      JavaScript-drawn sites (tests/test_browser.py); never a downloaded browser
#   redis-server  the queue of the scale-out tests (tests/test_scale_*.py start their own server)
#   postgresql    the state of the scale-out tests (likewise, as the `postgres` user it creates)
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages the tests need: ${missing[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
else
  echo "the tests need Debian packages that are missing: run  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
