#!/usr/bin/env bash
# Peak resident memory (GNU time's "maximum resident set size", the kernel's VmHWM) of a process that holds both CLIP
# ViT-B/32 towers and runs 3 rounds of an image batch of 32 and a text batch of 32 x 77 tokens: Aperture on its
# synthetic ViT-B/32 written as F32, F16 and BF16 safetensors, against ONNX Runtime Java on the peer graphs with f32
# external weights whose every value is drawn on its own (ClipPeerGraphs' "distinct" weights: on the repeated block
# fill_weights.py writes, ONNX Runtime holds less than one copy per tensor), each a fresh JVM, the engines
# alternating, ROUNDS times (default 3; each process's own 3 rounds of batches are fixed). The JVM runs with its
# default flags (heap sized by the JVM from the machine's memory) unless JAVA_OPTS says otherwise.
#   benchmarks/peers/memory.sh                      about 4 minutes on 2 cores
#   THREADS=1 JAVA_OPTS=-Xmx1g benchmarks/peers/memory.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk")"
java="$JAVA_HOME/bin/java"
work="${APERTURE_PEERS_BENCH_DIR:-${TMPDIR:-/tmp}/aperture-peers-bench}"
peers="${APERTURE_PEERS_CLIP:-$root/../shared/peers/onnx-clip-vit-b32}"
threads="${THREADS:-2}"
rounds="${ROUNDS:-3}"
dtypes="${DTYPES:-F32 F16 BF16}"
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install -y time" >&2; exit 1; }
mkdir -p "$work"

"$root/build" -q -pl benchmarks -am package -DskipTests
jar="$work/benchmarks-memory.jar"
cp "$root/benchmarks/target/benchmarks.jar" "$jar"
run() {   # prints "<label> <peak MiB>"; the workload's own lines go to stderr
  local label="$1"; shift
  local report="$work/time.txt"
  /usr/bin/time -f '%M' -o "$report" "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    ${JAVA_OPTS:-} -Daperture.peers.clip="$peers" -Daperture.peers.clip.weights=distinct -cp "$jar" \
    dev.aperture.benchmarks.clip.ClipPeakMemory "$@" >&2
  echo "$label $(( $(tail -n 1 "$report") / 1024 ))"
}

for dtype in $dtypes; do   # written once, each by its own process
  [ -f "$work/clip-b32-$dtype/model.safetensors" ] \
    || "$java" --add-modules jdk.incubator.vector -cp "$jar" dev.aperture.benchmarks.clip.ClipPeakMemory write \
         "$work/clip-b32-$dtype" "$dtype"
done
echo "commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo ' (with local changes)'); $(uptime)"
echo "threads $threads; JAVA_OPTS '${JAVA_OPTS:-}'; peak RSS in MiB"
for round in $(seq "$rounds"); do
  run "onnxruntime" onnxruntime "$threads"
  for dtype in $dtypes; do
    run "aperture-$dtype" aperture "$work/clip-b32-$dtype" "$threads"
  done
done
