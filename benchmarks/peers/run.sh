#!/usr/bin/env bash
# Aperture against its peers in ONE JMH run, so every ratio shares the machine's conditions: ONNX Runtime Java on
# CLIP ViT-B/32's image tower (batch 1, 8, 32) and text tower (32 x 8 and 32 x 77 tokens), both on random weights
# (../shared/peers/onnx-clip-vit-b32 against Aperture's synthetic ViT-B/32), and on all-MiniLM-L6-v2 (1 x 12, 32 x 12,
# 32 x 128 tokens; the same ONNX file for both engines, checked to agree within 1e-4), each on 1 and 2 threads; and
# OpenBLAS's native sgemm (768 x 768 x 768, 1600 x 3072 x 768) beside Aperture's GEMM, on the kernel OpenBLAS picks
# for this CPU. Writes the raw JMH JSON and the console log under benchmarks/results/, then prints Markdown tables.
#   benchmarks/peers/run.sh                  about 14 minutes on 2 cores (40 trials)
#   benchmarks/peers/run.sh -p threads=2     extra JMH options go last (a smoke run: see the variables below)
# Settings: 1 fork per trial, 1 JMH thread, 2 warm-up iterations of 3 s, 5 measured iterations of 2 s (an iteration
# that starts runs its operation to the end: a batch of 32 images on 1 thread takes about 4 s).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/benchmarks/peers"
JAVA_HOME="$("$root/tools/find-jdk")"
java="$JAVA_HOME/bin/java"
work="${APERTURE_PEERS_BENCH_DIR:-${TMPDIR:-/tmp}/aperture-peers-bench}"
peers="${APERTURE_PEERS_CLIP:-$root/../shared/peers/onnx-clip-vit-b32}"
result="${RESULT:-$root/benchmarks/results/peers-$(date -u +%Y-%m-%d-%H%M)}"
warmup_iterations="${WARMUP_ITERATIONS:-2}"
warmup_time="${WARMUP_TIME:-3s}"
iterations="${ITERATIONS:-5}"
iteration_time="${ITERATION_TIME:-2s}"
gemm_shapes="${GEMM_SHAPES:-768x768x768,1600x3072x768}"
benchmarks="${BENCHMARKS:-\.(ClipImagePeerBenchmark|ClipTextPeerBenchmark|MiniLmPeerBenchmark)\.|\.GemmBenchmark\.(aperture|openblas)$}"

[ -f "$peers/clip_vision.onnx" ] || { echo "no CLIP peer graphs in $peers (set APERTURE_PEERS_CLIP)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed once, to write the peer graphs' weights" >&2; exit 1; }
# The check reads all of ldconfig's output first: `ldconfig -p | grep -q` stops reading at the first match, and under
# pipefail the SIGPIPE that ldconfig then gets fails the check now and then.
[[ "$(ldconfig -p)" == *libopenblas.so.0* ]] \
  || { echo "libopenblas.so.0 not found: apt-get install -y libopenblas0-pthread" >&2; exit 1; }
mkdir -p "$work" "$(dirname "$result")"

"$root/build" -q -pl benchmarks -am package -DskipTests
# A copy: JMH's forks load the jar by path, and a rebuild during the run must not change it under them.
jar="$work/benchmarks.jar"
cp "$root/benchmarks/target/benchmarks.jar" "$jar"

sample_load() {   # every 30 s: the load average and the four busiest processes over 1 s (JMH's fork among them)
  while sleep 30; do
    echo "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) |" \
      "$(top -b -n 2 -d 1 -w 512 -o %CPU | awk '/^ *PID/ {frame++; next} frame == 2 && n++ < 4 {printf "%s %s%%; ", $12, $9}')"
  done
}
sample_load >"$result.load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

{
  echo "load before: $(uptime)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  # The environment may force OpenBLAS onto one kernel (OPENBLAS_CORETYPE=Haswell) and a cache size; the baseline
  # runs at the CPU's own kernel, so both are removed for the benchmark process (and the forks, which inherit it).
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$java" --add-modules jdk.incubator.vector \
    --enable-native-access=ALL-UNNAMED -Daperture.peers.clip="$peers" -jar "$jar" "$benchmarks" \
    -p shape="$gemm_shapes" -f 1 -t 1 -wi "$warmup_iterations" -w "$warmup_time" -i "$iterations" \
    -r "$iteration_time" -rf json -rff "$result.json" "$@"
  echo "load after: $(uptime)"
} 2>&1 | tee "$result.txt"

"$java" -cp "$jar" "$here/PeerReport.java" "$result.json" "$result.txt" | tee "$result.md"
echo "raw: $result.json, console: $result.txt, load samples: $result.load.txt, tables: $result.md" >&2
