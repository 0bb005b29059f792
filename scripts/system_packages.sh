#!/bin/sh
# Install the system programs the drawings, the browser tests and the DNI
# experiments use, but only those that are missing:
#
#   graphviz               `dot` and `neato` turn graphs into pictures
#   fonts-nanum            a Korean font for the drawings and plots
#   chromium               opens the step-through page in the browser tests
#   dataset-fashion-mnist  Fashion-MNIST for the DNI experiments
#   python3-venv           only where Debian's python3 cannot make a virtual environment
#
# It uses apt-get when it can (as root, or with sudo); otherwise it prints one
# line saying what to install and exits 0, so `make tour` and `make test` still
# run (the tour writes what it can, the tests that need these skip with the reason).
set -u

missing=""
command -v dot >/dev/null 2>&1 && command -v neato >/dev/null 2>&1 || missing="$missing graphviz"
fc-list 2>/dev/null | grep -qi nanum || missing="$missing fonts-nanum"
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$missing chromium"
if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' dataset-fashion-mnist 2>/dev/null | grep -q "ok installed" \
        || missing="$missing dataset-fashion-mnist"
fi
${PYTHON:-python3} -c "import ensurepip" >/dev/null 2>&1 || missing="$missing python3-venv"
[ -z "$missing" ] && exit 0

if [ "$(uname -s)" = "Darwin" ]; then
    echo "system packages missing:$missing -- on macOS run: brew install graphviz && brew install --cask chromium font-nanum-gothic"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system packages missing:$missing -- install them with your system's package manager"
    exit 0
fi
if [ "$(id -u)" = "0" ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    as_root="sudo"   # asks for your password when it needs it
else
    echo "system packages missing:$missing -- install them with: sudo apt-get install -y$missing"
    exit 0
fi
echo "installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! { $as_root apt-get update -q && $as_root apt-get install -y -q --no-install-recommends $missing; }; then
    echo "could not install:$missing -- continuing without them (try: sudo apt-get install -y$missing)"
fi
exit 0
