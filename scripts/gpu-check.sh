#!/usr/bin/env bash
# The GPU backend on a machine with an NVIDIA GPU and its driver, in one table:
#   1. every golden case on --backend cuda (./modelc test, which checks cuda where a GPU is);
#   2. one epoch of mnist_mlp and of mnist_cnn on the full Fashion-MNIST (batch 128) on cuda, and
#      PyTorch's on the same GPU where python3 has torch with CUDA;
#   3. the training step's time (./modelc bench --train --backend cuda);
#   4. bench GpuSpeed: device-to-device copy bandwidth, a fused elementwise kernel against it, and
#      the 4096^3 f32 matmul beside cuBLAS (PyTorch, TF32 off and on).
# Without a GPU it says why in one line and exits 0. Logs go to ${OUT:-/tmp}/gpu-check.
#
#   scripts/gpu-check.sh [EPOCHS]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 3
source scripts/find-jdk.sh || exit 1
epochs=${1:-1}
logs="${OUT:-/tmp}/gpu-check"
mkdir -p "$logs"
data=/usr/share/datasets/fashion-mnist
python=/usr/bin/python3
[[ -x $python ]] || python=python3

./mvnw -q -B -pl cli,bench -am package -DskipTests || exit $?
cli() { "$root/modelc" "$@"; }
speed() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
  -cp bench/target/benchmarks.jar dev.modelc.bench.GpuSpeed "$@" 2>&1 | grep -v '^WARNING'; }

speed > "$logs/speed.txt"
if grep -q '^no GPU' "$logs/speed.txt"; then
  cat "$logs/speed.txt"
  exit 0
fi
rows=()
row() { rows+=("$(printf '| %s | %s | %s |' "$1" "$2" "$3")"); }
row "device" "$(sed -n 's/^device: //p' "$logs/speed.txt")" ""

cli test tests/golden > "$logs/golden.txt" 2>&1
cuda_pass=$(grep -c '^PASS .*\[cuda\]' "$logs/golden.txt" || true)
cuda_fail=$(grep -c '^FAIL .*\[cuda\]' "$logs/golden.txt" || true)
row "golden cases on cuda (./modelc test)" "$cuda_pass passed, $cuda_fail failed" "all backends: $(tail -1 "$logs/golden.txt"); log $logs/golden.txt"

torch_cuda=$($python -c 'import torch; print(torch.cuda.is_available())' 2>/dev/null || echo False)
for model in mlp cnn; do
  if [[ -d $data ]]; then
    cli train "examples/mnist_$model.model" --data "$data" --epochs "$epochs" --batch 128 --backend cuda > "$logs/train_$model.txt" 2>&1
    ours=$(grep -E '^final' "$logs/train_$model.txt" | tail -1)
    theirs="no PyTorch with CUDA"
    if [[ $torch_cuda == True ]]; then
      theirs=$($python bench/pytorch_baseline.py "$model" --device cuda --epochs "$epochs" 2>&1 | tail -1)
    fi
    row "train mnist_$model, $epochs epoch(s), b128" "modelc: ${ours:-failed, see $logs/train_$model.txt}" "PyTorch: $theirs"
  else
    row "train mnist_$model" "skipped: no $data (apt-get install dataset-fashion-mnist)" ""
  fi
  cli bench "examples/mnist_$model.model" --train --backend cuda > "$logs/bench_$model.txt" 2>&1
  row "mnist_$model training step" "$(tail -1 "$logs/bench_$model.txt")" ""
done

row "copy device to device" "$(sed -n 's/^copy device to device: //p' "$logs/speed.txt")" ""
row "fused elementwise" "$(sed -n 's/^elementwise //p' "$logs/speed.txt")" "target: at least 80% of the copy"
cublas="no PyTorch with CUDA"
if [[ $torch_cuda == True ]]; then cublas=$($python bench/pytorch_baseline.py mlp --device cuda --matmul 4096 2>&1 | tr '\n' ';'); fi
row "matmul 4096^3 f32" "$(sed -n 's/^matmul //p' "$logs/speed.txt")" "cuBLAS: $cublas (target: at least 50%)"

printf '| %s | %s | %s |\n' "check" "modelc" "baseline / note"
printf '|---|---|---|\n'
printf '%s\n' "${rows[@]}"
