#!/usr/bin/env bash
# Runs the OpenCL test suite (kernels and CLIP goldens) and short GPU JMH benchmarks on this machine's NVIDIA GPU.
#
#   backend-gpu/scripts/gpu-check.sh [extra Maven arguments, e.g. -o for offline]
#
# Steps: (1) install the OpenCL ICD loader if it is missing; (2) register NVIDIA's OpenCL driver
# (libnvidia-opencl.so.1, shipped with the CUDA driver) with the loader when /etc/OpenCL/vendors/nvidia.icd is
# missing, as in most containers; (3) list the OpenCL devices; (4) run backend-gpu's tests with the device forced
# to the GPU (a missing GPU then fails the tests instead of falling back to a CPU device) and CI=true (absent
# OpenCL fails instead of skipping), plus the models' CLIP goldens on the opencl backend; (5) print per-class
# results; (6) a short JMH run of BackendGemmBenchmark and BackendTowerBenchmark on cpu and opencl.
# Steps 1-2 need root (or sudo). The build needs Maven Central or a filled local repository (-o).
# Bounded to about 10 minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

shared_libs() {
  ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true
}

# Where the NVIDIA driver's OpenCL library is, by loader name or by full path; empty when absent.
find_nvidia_opencl() {
  if [[ "$(shared_libs)" == *libnvidia-opencl.so.1* ]]; then
    echo "libnvidia-opencl.so.1"
    return
  fi
  local dir
  for dir in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib \
             /usr/lib/aarch64-linux-gnu /run/nvidia/driver/usr/lib/x86_64-linux-gnu; do
    if [ -e "$dir/libnvidia-opencl.so.1" ]; then
      echo "$dir/libnvidia-opencl.so.1"
      return
    fi
  done
}

echo "== 1. OpenCL ICD loader"
if [[ "$(shared_libs)" != *libOpenCL.so.1* ]]; then
  echo "libOpenCL.so.1 missing: installing ocl-icd-libopencl1 and clinfo"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ocl-icd-libopencl1 clinfo >/dev/null \
    || { as_root apt-get update -qq >/dev/null && \
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ocl-icd-libopencl1 clinfo >/dev/null; }
fi
echo "ok: $(shared_libs | grep -m1 'libOpenCL.so.1' | sed 's/^[[:space:]]*//')"

echo "== 2. NVIDIA OpenCL driver registration"
if [ -e /etc/OpenCL/vendors/nvidia.icd ]; then
  echo "ok: /etc/OpenCL/vendors/nvidia.icd -> $(cat /etc/OpenCL/vendors/nvidia.icd)"
else
  nvidia_lib="$(find_nvidia_opencl)"
  if [ -n "$nvidia_lib" ]; then
    as_root mkdir -p /etc/OpenCL/vendors
    echo "$nvidia_lib" | as_root tee /etc/OpenCL/vendors/nvidia.icd >/dev/null
    echo "registered $nvidia_lib in /etc/OpenCL/vendors/nvidia.icd"
  else
    echo "WARNING: libnvidia-opencl.so.1 not found (a container needs NVIDIA_DRIVER_CAPABILITIES to include" \
         "'compute'); the GPU tests will fail below" >&2
  fi
fi

echo "== 3. OpenCL devices"
if command -v clinfo >/dev/null 2>&1; then
  clinfo -l || true
else
  echo "(clinfo not installed; the device listing test prints the devices below)"
fi
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
fi

echo "== 4. backend-gpu tests on the GPU"
export APERTURE_OPENCL_DEVICE=gpu
export CI=true
start=$(date +%s)
status=0
log="$root/backend-gpu/target/gpu-check.log"
mkdir -p "$(dirname "$log")"
# The kernel tests, then the CLIP goldens (tiny F32/F16/BF16 and full-size ViT-B/32) on the OpenCL backend.
timeout 360 ./build -B --no-transfer-progress -q -pl backend-gpu,models -am verify -Daperture.opencl.device=gpu \
  -Dtest='dev.aperture.backend.gpu.**,ClipTinyGoldenOpenClTest,ClipB32SyntheticTest#bothTowersMatchGoldenOnTheOpenClBackend' \
  -Dsurefire.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))
if [ "$status" -ne 0 ]; then
  echo "build/test output (full log: $log):"
  grep -E 'Tests run:|FAIL|ERROR\]   [A-Za-z]|Exception: ' "$log" | grep -v '^[[:space:]]*at ' | sort -u | head -40
fi

echo "== 5. Results (device forced to 'gpu', ${elapsed}s, exit status ${status})"
reports=backend-gpu/target/surefire-reports
listing="$reports/dev.aperture.backend.gpu.DeviceListingTest-output.txt"
if [ -f "$listing" ]; then
  echo "devices seen by the tests:"
  sed 's/^/  /' "$listing"
fi
attribute() {   # attribute NAME FILE: the value of NAME="..." on the <testsuite> line
  grep -m1 '<testsuite' "$2" | grep -o "[[:space:]]$1=\"[^\"]*\"" | head -1 | sed 's/.*="\(.*\)"/\1/'
}
count() {   # count ELEMENT FILE: the <ELEMENT> entries of a report. Counted, not read from the <testsuite> line,
            # whose totals leave out the @Nested classes OpenClBackendContractTest inherits from the contract suite.
  grep -o "<$1[ />]" "$2" | wc -l | tr -d ' '
}
printf '%-28s %6s %6s %6s %6s %8s\n' "test class" tests fail error skip seconds
total=0; bad=0
for report in backend-gpu/target/surefire-reports/TEST-*.xml models/target/surefire-reports/TEST-*.xml; do
  [ -f "$report" ] || continue
  name="$(attribute name "$report")"
  tests="$(count testcase "$report")"; failures="$(count failure "$report")"
  errors="$(count error "$report")"; skipped="$(count skipped "$report")"
  printf '%-28s %6s %6s %6s %6s %8s\n' "${name##*.}" "$tests" "$failures" "$errors" "$skipped" \
    "$(attribute time "$report")"
  total=$(( total + tests )); bad=$(( bad + failures + errors + skipped ))
done
echo "total: $total tests, $bad failed, errored or skipped"
if [ "$status" -eq 124 ]; then
  echo "TIMED OUT after 360 s" >&2
fi

echo "== 6. GPU benchmarks (JMH, short; the CPU backend is the baseline in the same run)"
bench_status=0
if timeout 60 ./build -B --no-transfer-progress -q -pl benchmarks -am package -DskipTests "$@" >>"$log" 2>&1; then
  java_bin="$("$root/tools/find-jdk")/bin/java"
  timeout 200 "$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -Daperture.opencl.device=gpu -jar benchmarks/target/benchmarks.jar \
    'BackendGemmBenchmark|BackendTowerBenchmark.(images1|images32|images256|prompts256)$' \
    -p shape=768x768x768,1600x3072x768 -p backendName=cpu,opencl -p backend=cpu,opencl -p threads=16 \
    -f 1 -wi 1 -i 2 -w 1s -r 2s -jvmArgsAppend -Daperture.opencl.device=gpu 2>&1 \
    | sed -n '/^Benchmark /,$p' || bench_status=$?
else
  echo "benchmarks did not build; see $log"
  bench_status=1
fi
[ "$status" -ne 0 ] || status=$bench_status
exit "$status"
