#!/usr/bin/env bash
# Create (or reuse) a Python venv holding one exact LiteLLM release, and print its path on stdout.
#   test/litellm/venv.sh 1.110.2
# Cached under ${KEYWARD_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/keyward}/litellm/<version>/venv; a venv is
# used only once its install finished (a marker file), and concurrent callers wait on a lock.
# Newest release installable from the registry this project reaches: 1.108.0 (1.109+ need litellm-proxy-extras
# and, from 1.110, a separate litellm-proxy package that are not there). Progress goes to stderr. Compromised releases are refused before anything is installed.
set -euo pipefail

version="${1:-}"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(\.post[0-9]+)?$ ]]; then
  echo "litellm venv: give an exact LiteLLM version, e.g. 1.110.2 (got '${version}')" >&2
  exit 2
fi
case "$version" in
  1.82.7|1.82.8|1.107.0)
    echo "litellm venv: refusing LiteLLM $version: a compromised release (it steals credentials on any Python start)" >&2
    exit 2 ;;
esac

cache="${KEYWARD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keyward}/litellm/$version"
venv="$cache/venv"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ ! -f "$venv/.keyward-complete" ]]; then
  rm -rf "$venv"
  echo "litellm venv: installing litellm[proxy]==$version into $venv (once; cached)" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "litellm[proxy]==$version" >&2
  "$venv/bin/python" -c "import importlib.metadata as m; v=m.version('litellm'); assert v=='$version', v" >&2
  touch "$venv/.keyward-complete"
fi
echo "$venv"
