#!/usr/bin/env bash
# Times training epochs on the full Fashion-MNIST training set (batch 128), modelc and PyTorch
# back to back in one sitting, as the issue's speed targets ask (see ../shared/RECIPES.md for the
# PyTorch thread settings; this script uses the best ones measured there).
#
#   bench/epochs.sh [mlp|cnn|both] [EPOCHS]      (default: both, 2 epochs each)
#   BACKENDS="jvm llvm" bench/epochs.sh ...     (the modelc backends to time; default: jvm and llvm)
#
# Needs dataset-fashion-mnist, and for the PyTorch side python3-torch with libopenblas0-pthread
# (run through /usr/bin/python3). Prints each side's per-epoch lines; the later epochs are the
# warm figures (modelc's first epoch includes JIT compilation of the generated kernels).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
which=${1:-both}
epochs=${2:-2}
data=/usr/share/datasets/fashion-mnist
[[ -d $data ]] || { echo "no $data: apt-get install dataset-fashion-mnist" >&2; exit 1; }

run() {
  local name=$1 model=$2 threads=$3 blas=$4
  echo "== $name: load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for backend in ${BACKENDS:-jvm llvm}; do
    "$root/modelc" train "$root/examples/$model.model" --data "$data" --epochs "$epochs" --batch 128 --backend "$backend" 2>&1 \
      | grep -E '^(epoch|final)' | sed "s/^/modelc-$backend $name /"
  done
  OPENBLAS_NUM_THREADS=$blas /usr/bin/python3 "$root/bench/pytorch_baseline.py" "$name" --threads "$threads" --epochs "$epochs" \
    | sed "s/^/pytorch /"
}

[[ $which == cnn ]] || run mlp mnist_mlp 1 2
[[ $which == mlp ]] || run cnn mnist_cnn 2 1
