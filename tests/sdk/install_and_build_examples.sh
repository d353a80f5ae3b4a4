#!/usr/bin/env bash
# What an outside plugin author does, end to end: install Stream-DSE to a fresh
# prefix, build each SDK example as its own CMake project from a copy outside
# the source tree, and run its pipeline with the installed host.
#   install_and_build_examples.sh <build dir> <source dir>
# Expected numbers are derived in the comments beside each check.
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
here="$source/tests/sdk"
work=$(mktemp -d /tmp/sdk-ci.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
unset STREAM_DSE_PLUGIN_PATH # the installed host must find its plugins by itself

fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" > "$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }
for f in bin/stream-dse include/stream/plugin.h include/stream/plugin.hpp lib/cmake/StreamDSE/StreamDSEConfig.cmake \
         lib/cmake/StreamDSE/StreamDSEConfigVersion.cmake lib/pkgconfig/stream-dse.pc \
         lib/stream-dse/plugins/stream-core-model-roofline.so share/stream-dse/configs/pipelines/defaults.toml; do
  [ -e "$prefix/$f" ] || fail "the install lacks $f"
done
"$prefix/bin/stream-dse" plugins > "$work/plugins.txt" || fail "the installed host cannot list its plugins"
grep -q "roofline" "$work/plugins.txt" || fail "the installed host does not find its own plugins: $(cat "$work/plugins.txt")"
if command -v pkg-config > /dev/null; then
  cflags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags stream-dse)
  include_dir=$(echo $cflags) # pkg-config pads its output with a space
  [ "$(cd "${include_dir#-I}" && pwd)" = "$(cd "$prefix/include" && pwd)" ] || fail "pkg-config gives '$cflags'"
fi

# Each example builds from a copy with only the installed package to go on.
for example in c-core-model cpp-lut-core-model; do
  cp -r "$source/sdk/examples/$example" "$work/$example"
  (cd "$work/$example" &&
   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" > configure.log &&
   cmake --build build > build.log) || { cat "$work/$example"/*.log; fail "building $example against the install"; }
done

# C example, layer by layer on an 8x8 array (64 MACs per cycle) with a 16 bit/cycle DRAM at 64 pJ per access:
#   conv      16*8*16*16*3*3 = 294912 MACs -> 4608 cycles; bits I 8*16*16*8 + W 16*8*3*3*8 + O 16*16*16*8
#             = 16384 + 9216 + 32768 = 58368 -> 3648 cycles: compute-bound, 4608 cycles;
#             energy 294912 * 0.5 + 3648 accesses * 64 = 147456 + 233472 = 380928 pJ.
#   features  32*16*16*16 = 131072 MACs -> 2048 cycles; bits 32768 + 4096 + 65536 = 102400 -> 6400 cycles:
#             bandwidth-bound, 6400 cycles; energy 65536 + 6400 * 64 = 475136 pJ.
cd "$work/c-core-model"
"$prefix/bin/stream-dse" run pipeline.toml > run.log 2>&1 || { cat run.log; fail "running the C example"; }
cmake -DRESULTS=out/results.json -DEXPECT="conv:4608:380928;features:6400:475136" -P "$here/check_results.cmake"

# C++ example, both layers fused and cut into 4 tiles of OY = 4, interpolated between the measurements at
# OY 2 and 8 (measured_costs.csv), a third of the way:
#   conv      700 + (2500 - 700) / 3 = 1300 cycles, 52000 + (196000 - 52000) / 3 = 100000 pJ; 4 tiles: 5200, 400000.
#   features  400 + (1300 - 400) / 3 = 700 cycles, 30000 + (114000 - 30000) / 3 = 58000 pJ; 4 tiles: 2800, 232000.
cd "$work/cpp-lut-core-model"
"$prefix/bin/stream-dse" run pipeline.toml > run.log 2>&1 || { cat run.log; fail "running the C++ example"; }
cmake -DRESULTS=out/results.json -DEXPECT="conv:5200:400000;features:2800:232000" -P "$here/check_results.cmake"

# Layer by layer, each layer is one 16-row node: beyond the table, refused as bad input (exit code 1).
set +e
"$prefix/bin/stream-dse" run pipeline.toml --set mapping.mode=layer_by_layer -o out-lbl > refused.log 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { cat refused.log; fail "expected exit code 1 for a shape outside the table, got $status"; }
grep -q "OY=16 is outside .*measured_costs.csv: it has OY 2..8 for this shape" refused.log ||
  { cat refused.log; fail "the refusal does not say what the table covers"; }
echo "install, out-of-tree builds and both example pipelines: OK"
