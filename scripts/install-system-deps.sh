#!/usr/bin/env bash
# Install the system packages baocao relies on (Debian bookworm).
#
#   libreoffice-writer-nogui  soffice: converts Word 97-2003 .doc to .docx
#   antiword                  fallback .doc text extractor
#   tesseract-ocr(-vie)       OCR for scanned reports (Vietnamese language data)
#   poppler-utils             pdftotext / pdftoppm for PDF reports
#   postgresql                the shared fact store (and the tests' throwaway server)
#   chromium(-driver)         headless browser for the HTML export and web-app tests
#
# Idempotent: packages already installed are skipped, and `apt-get update` runs at most once.
# On a machine without apt-get, or when not run as root, it prints what to install by hand and
# exits 0 so that set-up never hard-fails.
set -euo pipefail

PACKAGES=(
  libreoffice-writer-nogui
  antiword
  tesseract-ocr
  tesseract-ocr-vie
  poppler-utils
  postgresql
  chromium
  chromium-driver
)

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: no apt-get here; install by hand (Debian names): ${PACKAGES[*]}"
  exit 0
fi
if [ "${EUID:-$(id -u)}" -ne 0 ]; then
  echo "install-system-deps: not root; run it with sudo, or install by hand: sudo apt-get install ${PACKAGES[*]}"
  exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  # Like `dpkg -s`, but only a fully installed package counts (not "deinstall ... config-files").
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [ "$status" = "install ok installed" ]; then
    echo "install-system-deps: $pkg already installed"
  else
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: all packages present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-system-deps: installing ${missing[*]}"
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-system-deps: done"
