#!/usr/bin/env bash
# Create .venv at the repository root and install ragqa with its pinned dependencies.
#
# Safe to run again: it does nothing when pyproject.toml, constraints.txt and this
# script are unchanged since the last successful run. llama-cpp-python compiles from
# source (several minutes on 2 cores), so its wheel is built once, without CPU-specific
# instructions (GGML_NATIVE=OFF) so it runs on any x86-64 machine, and kept in
# $RAGQA_WHEEL_CACHE (default ~/.cache/ragqa/wheels) for every later setup.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
python=${PYTHON:-python3}
wheels=${RAGQA_WHEEL_CACHE:-$HOME/.cache/ragqa/wheels}
stamp=$venv/.setup-done
fingerprint=$(cat pyproject.toml constraints.txt scripts/setup.sh | sha256sum | cut -d' ' -f1)

if [[ -f $stamp && $(cat "$stamp") == "$fingerprint" ]]; then
    exit 0
fi

echo "setting up $venv (first run takes a while: llama-cpp-python compiles once)"
[[ -x $venv/bin/python ]] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install --upgrade "pip==25.3"

# torch first, from the local CPU wheel: a torch requirement met later never pulls a CUDA build.
torch_version=$(grep -oP '"torch==\K[^"]+' pyproject.toml)
"${pip[@]}" install "torch==$torch_version"

llama_version=$(grep -oP '"llama-cpp-python==\K[^"]+' pyproject.toml)
mkdir -p "$wheels"
if ! compgen -G "$wheels/llama_cpp_python-$llama_version-*.whl" >/dev/null; then
    echo "building llama-cpp-python $llama_version (about 7 minutes, once per machine)"
    CMAKE_ARGS="-DGGML_NATIVE=OFF" "${pip[@]}" wheel --no-deps \
        "llama-cpp-python==$llama_version" -w "$wheels"
fi
"${pip[@]}" install --no-deps "$wheels"/llama_cpp_python-"$llama_version"-*.whl

"${pip[@]}" install -c constraints.txt -e ".[test]"
# Export the models for onnxruntime now, so that no ragqa command imports torch for it.
"$venv/bin/python" -m qa.models
echo "$fingerprint" > "$stamp"
echo "setup complete"
