#!/usr/bin/env bash
# aperture index against aperture bench: images indexed per second against images embedded per second, same model
# (synthetic ViT-B/32, F32), same batch (32), same threads, same files, in the same session: bench before, index, bench
# after, and the ratio (goal: index >= 90 % of bench). Prints a Markdown table.
#   benchmarks/search/run.sh                          IMAGES=640 by default
#   IMAGES=96 benchmarks/search/run.sh                a smoke run
# What each side includes:
#   bench, "embed image files" (bench --images): embedImages on 32 files a call, each call the next 32 in path order:
#     reading, decoding, EXIF orientation, resize/crop/normalize, the image tower, L2 normalization. Images/s =
#     32 / mean call latency over IMAGES/32 timed calls, after WARMUP untimed ones; model load excluded.
#   index, steady: what `aperture index` adds per batch of 32 on top: a stat, a SHA-256 of each file, a hash lookup in
#     the index, embedImages, 32 Lucene documents, a commit (fsync) and a searcher refresh. Images/s between its first
#     and last progress line (stderr, "images: N/TOTAL", one per committed batch; timestamped here), so the first
#     batch, JVM start, model load, the folder walk and the final close are excluded, as bench excludes its warm-up.
#   index, whole process: IMAGES / the command's wall time, everything included (for reference, not the goal).
# Knobs: IMAGES (640), WARMUP (2, bench's untimed calls), THREADS (0: every processor), APERTURE_SEARCH_BENCH_DIR
# (default $TMPDIR/aperture-search-bench: the model folder, the images, the index, bench.log and index.log).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/benchmarks/search"
JAVA_HOME="$("$root/tools/find-jdk")"
java="$JAVA_HOME/bin/java"
work="${APERTURE_SEARCH_BENCH_DIR:-${TMPDIR:-/tmp}/aperture-search-bench}"
images="${IMAGES:-640}"
warmup="${WARMUP:-2}"
threads="${THREADS:-0}"
batch=32
mkdir -p "$work"

"$root/aperture" --version >/dev/null   # builds the CLI jar when it is missing or stale
jar="$root/cli/target/aperture-cli.jar"
run_java() { "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$jar" "$@"; }
# The jar itself from here on, not the launcher: a source edited during the run must not rebuild it halfway.
aperture=("$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g -jar "$jar")

if [ ! -f "$work/vit-b-32/config.json" ]; then
  echo "writing the synthetic ViT-B/32 folder to $work/vit-b-32" >&2
  run_java "$root/benchmarks/serve/WriteSyntheticVit.java" "$work/vit-b-32"
fi
photos="$work/photos-$images"
if [ ! -d "$photos" ]; then
  echo "writing $images images to $photos" >&2
  "$java" "$here/WriteImages.java" "$photos.partial" "$images" && mv "$photos.partial" "$photos"
fi

bench() {   # prints the images/s of bench's "embed image files" stage
  "${aperture[@]}" bench --model "$work/vit-b-32" --batch "$batch" --threads "$threads" --images "$photos" \
    --iterations $(( (images + batch - 1) / batch )) --warmup "$warmup" --json 2>"$work/bench.log" \
    | grep -o '"stage":"embed image files"[^}]*' | grep -o '"throughput":[0-9.eE+-]*' | cut -d: -f2 | awk '{ printf "%.2f\n", $1 }'
}
index() {   # prints "steady-images/s whole-process-images/s"
  rm -rf "$work/index"
  local start end
  start=$(date +%s.%N)
  # Exit code 1 only means some files failed, which the summary line shows; anything else stops the script.
  "${aperture[@]}" index "$photos" --model "$work/vit-b-32" --index "$work/index" --batch "$batch" \
    --threads "$threads" > "$work/index.json" \
    2> >(while IFS= read -r line; do echo "$(date +%s.%N) $line"; done > "$work/index.log") || [ $? -eq 1 ]
  end=$(date +%s.%N)
  sleep 0.2   # lets the timestamping loop drain
  grep -E '^[0-9.]+ images: [0-9]+/[0-9]+$' "$work/index.log" | awk -v start="$start" -v end="$end" -v n="$images" '
    NR == 1 { t1 = $1; split($3, d, "/"); d1 = d[1] }
    { tn = $1; split($3, d, "/"); dn = d[1] }
    END { if (NR < 2) { print "error: fewer than two progress lines" > "/dev/stderr"; exit 1 }
          printf "%.2f %.2f\n", (dn - d1) / (tn - t1), n / (end - start) }'
}

echo "load: $(uptime)"
before=$(bench)
read -r steady whole < <(index)
summary=$(cat "$work/index.json")
after=$(bench)
echo "load: $(uptime)"
echo
echo "index summary: $summary"
echo
echo "| run | images/s |"
echo "|---|---:|"
echo "| bench, embed image files (before) | $before |"
echo "| aperture index, steady (batch 2 to last) | $steady |"
echo "| aperture index, whole process | $whole |"
echo "| bench, embed image files (after) | $after |"
awk -v s="$steady" -v b="$before" -v a="$after" 'BEGIN {
  printf "\nindex steady / mean of the two bench runs: %.1f %% (goal >= 90 %%)\n", 100 * s / ((b + a) / 2) }'
