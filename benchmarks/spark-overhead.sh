#!/usr/bin/env bash
# Spark's overhead on image embedding: dev.aperture.spark.SparkThroughputBenchmark (spark module, test sources), i.e.
# ImageEmbedder in local[2] against ImageTextModel.embedImages directly, same synthetic ViT-B/32 folder, batch and
# threads, alternating rounds in one JVM. Results: benchmarks/RESULTS.md.
#   benchmarks/spark-overhead.sh [images (256)] [batch (32)] [threads (2)] [rounds (3)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk")"
export JAVA_HOME
cd "$root"
./mvnw -B -q -DskipTests -Daperture.fuzz.skip=true -pl spark -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g \
  -cp "spark/target/test-classes:spark/target/classes:$(cat spark/target/test-classpath.txt)" \
  dev.aperture.spark.SparkThroughputBenchmark "$@"
