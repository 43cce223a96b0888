#!/usr/bin/env bash
# Top-10 search over synthetic 512-d embeddings in an index written with aperture index's Lucene settings
# (dev.aperture.search.lucene.EmbeddingVectors): build time, size on disk, p50/p99 latency and recall@10 against
# exact search, on the segments the build leaves and after a force-merge to one. What is built and timed, and how that
# differs from `aperture index`: VectorSearchBenchmark's Javadoc (benchmarks/src/main/java/.../search/).
#   benchmarks/search/vector-search.sh                   1,000,000 vectors, -Xmx6g (not run at that size yet;
#                                                        15 to 25 minutes on 2 cores, extrapolated from 20,000)
#   VECTORS=20000 QUERIES=200 benchmarks/search/vector-search.sh      a smoke run (about 12 s)
#   benchmarks/search/vector-search.sh --candidates 10,50,100 --commit-every 32    any VectorSearchBenchmark flag
# Knobs: VECTORS (1000000), QUERIES (1000), HEAP (6g), INDEX (folder, emptied first and deleted at the end;
# default $TMPDIR/aperture-search-bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk")"
java="$JAVA_HOME/bin/java"
index="${INDEX:-${TMPDIR:-/tmp}/aperture-search-bench}"

# Built once, then run from the jar: a source edited during the run must not change what is measured.
"$root/build" -q -pl benchmarks -am package -DskipTests
jar="$root/benchmarks/target/benchmarks.jar"

echo "load before: $(uptime)"
"$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx"${HEAP:-6g}" -cp "$jar" \
  dev.aperture.benchmarks.search.VectorSearchBenchmark --vectors "${VECTORS:-1000000}" --queries "${QUERIES:-1000}" \
  --index "$index" "$@" 2>&1 | grep -v '^WARNING'
echo "load after: $(uptime)"
