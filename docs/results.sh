#!/usr/bin/env bash
# Regenerates docs/results.md: layer fusion against layer-by-layer execution (the Stream paper's
# headline experiment) for ResNet-18 and MobileNetV2 on two example systems, with Stream-DSE's own
# pipelines. Every row runs the same workload, hardware, mapping, cost model, allocator and
# scheduler; only the mode (and, for fused runs, the layer stacks) differs.
#
#   docs/results.sh [path/to/stream-dse]        (default: build/bin/stream-dse)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin/stream-dse}
[ -x "$bin" ] || { echo "results.sh: no executable at $bin (build first, or pass its path)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

base=configs/pipelines/resnet18_hetero_lbl.toml # dataflow cost model, Gecode (EDP, 2 s), Stream's scheduler

# network | workload | hardware | mapping | fused layer stacks
cases=(
  "ResNet-18|configs/workloads/resnet18.onnxtxt|configs/hardware/hetero_tpu_eyeriss_mesh.toml|configs/mappings/resnet18_on_hetero.toml|0-33"
  "ResNet-18|configs/workloads/resnet18.onnxtxt|configs/hardware/tpu_like_quad_core.toml|configs/mappings/cnn_on_tpu_like_quad_core.toml|0-33"
  "MobileNetV2|configs/workloads/mobilenetv2.onnxtxt|configs/hardware/hetero_tpu_eyeriss_mesh.toml|configs/mappings/resnet18_on_hetero.toml|pack"
  "MobileNetV2|configs/workloads/mobilenetv2.onnxtxt|configs/hardware/tpu_like_quad_core.toml|configs/mappings/cnn_on_tpu_like_quad_core.toml|pack"
)

metric() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j[sys.argv[2]])" "$1" "$2"; }

rows=""
i=0
for c in "${cases[@]}"; do
  IFS='|' read -r net workload hardware mapping stacks <<<"$c"
  i=$((i + 1))
  echo "results.sh: $net on $(basename "$hardware" .toml) ($i/${#cases[@]})" >&2
  "$bin" run "$base" --workload "$workload" --hardware "$hardware" --mapping "$mapping" \
    --mode layer_by_layer --quiet -o "$out/lbl$i" >/dev/null
  "$bin" run "$base" --workload "$workload" --hardware "$hardware" --mapping "$mapping" \
    --mode fused --layer-stacks "$stacks" --quiet -o "$out/fused$i" >/dev/null
  rows+=$(python3 - "$out/lbl$i/results.json" "$out/fused$i/results.json" "$net" "$(basename "$hardware" .toml)" "$stacks" <<'PY'
import json, sys
lbl, fused = (json.load(open(p)) for p in sys.argv[1:3])
net, hw, stacks = sys.argv[3:6]
def f(x): return f"{x:.4g}"
print(f"| {net} | {hw} | {f(lbl['latency_cycles'])} | {f(fused['latency_cycles'])} | {f(lbl['energy_pj'])} | "
      f"{f(fused['energy_pj'])} | {f(lbl['edp'])} | {f(fused['edp'])} | **{lbl['edp'] / fused['edp']:.2f}x** | {stacks} |")
PY
)$'\n'
done

version=$("$bin" --version | head -1)
cat > docs/results.md <<EOF
# Layer fusion vs layer-by-layer

The Stream paper's headline experiment, run with Stream-DSE's own pipelines: the same network on the
same heterogeneous system, once layer by layer (each layer runs whole, its output goes through
memory before the next starts) and once layer-fused (a stack of layers runs tile by tile: output row
tiles flow from layer to layer and through the cores, docs/fusion.md). Everything else is the same:
the \`dataflow\` cost model (ZigZag's analytical model with a LOMA mapping search per tile shape),
the Gecode allocator minimising EDP (2 s limit), and Stream's memory- and link-aware list scheduler.

Regenerate this page with \`docs/results.sh\` (about a minute on two cores). Produced by
\`$version\`.

Systems: \`hetero_tpu_eyeriss_mesh\` (two TPU-like 32x32 arrays and two Eyeriss-like arrays on a 2x2
mesh, a 64-wide SIMD core, a pooling core, DRAM), \`tpu_like_quad_core\` (Stream's example: four
TPU-like cores, pooling, SIMD, DRAM). Mappings: convolutions and the classifier on any array core,
one core per layer chosen by the allocator; element-wise layers on the SIMD core; pooling on the
pooling core (configs/mappings/). Fused stacks: ResNet-18 fuses layers 0-33 (conv1 to the end of
layer2: large activations, small weights) and runs later layers alone; MobileNetV2 uses \`pack\`
(consecutive layers until the on-chip weight capacity is reached).

| network | system | latency LBL (cycles) | latency fused | energy LBL (pJ) | energy fused | EDP LBL | EDP fused | EDP LBL / fused | fused stacks |
|---|---|---|---|---|---|---|---|---|---|
${rows}
Where the gain comes from: layer by layer, every activation that does not fit a core's memory is
written to DRAM and read back by its consumer, and every layer waits for its producer to finish. Fused,
a row tile's output is consumed by the next layer's tile while it is still on chip, and the cores of
a stack work at once on different layers. For ResNet-18 on hetero_tpu_eyeriss_mesh the fused run's
DRAM fetch energy (\`energy_breakdown_pj.offchip_fetch_memory\` in results.json) is about half the
layer-by-layer one.

What this does not show: fusing the whole network (\`layer_stacks = "all"\`) or splitting layers over
all four array cores (\`inter_core_tiling = [["K", "*"]]\`) is worse on these systems: weights of
late layers then compete with activations for the 2 MB memories and are fetched again and again.
Which stacks pay off is a design question: \`stream-dse sweep\` explores it (configs/sweeps/).
EOF
echo "results.sh: wrote docs/results.md" >&2
