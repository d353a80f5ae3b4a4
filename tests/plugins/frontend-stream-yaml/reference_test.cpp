// The original tools' workload files from ../shared/reference (skipped when absent).
#include "RecordingBuilder.hpp"
#include "YamlWorkloadReader.hpp"
#include "shared_dir.hpp"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

using namespace stream::yaml_frontend;
using stream::yaml_frontend::test::RecordingBuilder;
using stream::yaml_frontend::test::Terms;

namespace fs = std::filesystem;

TEST_CASE("reference resnet18.yaml: layers, first conv, producers and MAC totals") {
    const auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    const fs::path path = *ref / "stream-inputs/examples/workload/resnet18.yaml";
    if (!fs::exists(path)) return stream::test::skip("no " + path.string());

    RecordingBuilder rec;
    load_workload(path.string(), {}, rec.builder());
    CHECK(rec.network_name == "resnet18");
    // ids 0..30: conv1, maxpool, 16 3x3 convs, 3 downsample convs, 8 Adds, avg pool, fc.
    REQUIRE(rec.layers.size() == 31);

    const auto& conv1 = rec.layers[0];
    CHECK(conv1.name == "Layer0");
    CHECK(conv1.op_type == "Conv");
    using Dims = std::vector<std::pair<std::string, std::int64_t>>;
    CHECK(conv1.loop_dims == Dims{{"B", 1}, {"K", 64}, {"C", 3}, {"OY", 112}, {"OX", 112}, {"FY", 7}, {"FX", 7}});
    const auto& in = conv1.operand("I");
    REQUIRE(in.axes.size() == 4);
    // I[b][c][iy][ix] with iy = 2*oy + 1*fy: stride 2, dilation 1.
    CHECK(in.axes[2].terms == Terms{{"OY", 2}, {"FY", 1}});
    CHECK(in.axes[3].terms == Terms{{"OX", 2}, {"FX", 1}});
    // This YAML gives no padding (zigzag.md §1.4: "the yaml has no padding"), so the
    // offset is 0 rather than the -3 of the ONNX model's conv1, and the input extent is
    // every position the loops reach: (112-1)*2 + (7-1)*1 + 1 = 229.
    CHECK(in.axes[2].offset == 0);
    CHECK(in.axes[2].extent == 229);
    CHECK(in.producer_layer == -1); // "I: 0" on layer 0: the graph input
    CHECK(conv1.operand("W").role == STREAM_OPERAND_CONSTANT);
    CHECK(conv1.operand("W").precision_bits == 8);
    CHECK(conv1.operand("O").precision_bits == 8);
    CHECK(conv1.operand("O").partial_precision_bits == 16);

    // Layer 1 (max pool) reads layer 0; layer 4 (Add) sums layer 1 (W, written first -> I1) and layer 3 (I -> I2).
    CHECK(rec.layers[1].operand("I").producer_layer == 10);
    CHECK(rec.layers[1].operand("W").precision_bits == 0);
    const auto& add = rec.layers[4];
    CHECK(add.op_type == "Add");
    CHECK(add.operand("I1").producer_layer == 11);
    CHECK(add.operand("I2").producer_layer == 13);

    // Sum of loop iterations of every layer whose equation has a W, from the views ...
    std::int64_t from_views = 0, conv_views = 0;
    for (const auto& l : rec.layers) {
        if (l.text_attributes.at("equation").find('W') == std::string::npos) continue;
        from_views += l.loop_product();
        if (l.op_type == "Conv" || l.op_type == "Conv_downsample") conv_views += l.loop_product();
    }
    // ... and independently, straight from the YAML numbers.
    std::int64_t from_yaml = 0;
    for (const YAML::Node& entry : YAML::LoadFile(path.string())) {
        if (entry["equation"].as<std::string>().find('W') == std::string::npos) continue;
        std::int64_t product = 1;
        for (const YAML::Node& size : entry["loop_sizes"]) product *= size.as<std::int64_t>();
        from_yaml += product;
    }
    CHECK(from_views == from_yaml);
    // By hand, the convolutions (K*C*OY*OX*FY*FX, B = 1):
    //   conv1 64*3*112*112*7*7                        = 118,013,952
    //   stage 2: 4 x 64*64*56*56*9 = 4 x 115,605,504  = 462,422,016
    //   stages 3, 4, 5 (each: one stride-2 conv and one 3x3 downsample of
    //   57,802,752, three convs of 115,605,504)      = 3 x 462,422,016 = 1,387,266,048
    //   fc 1000*512                                   = 512,000
    //   total                                         = 1,968,214,016
    CHECK(conv_views == 1'968'214'016);
    // Plus max pool 64*56*56*3*3 = 1,806,336, avg pool 512*7*7 = 25,088 and the Adds
    // 2*(64*56*56 + 128*28*28 + 256*14*14 + 512*7*7) = 2*376,320 = 752,640: every layer has a W.
    CHECK(from_yaml == 1'968'214'016 + 1'806'336 + 25'088 + 752'640); // 1,970,798,080
}

TEST_CASE("reference: every workload YAML loads") {
    const auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(*ref)) {
        if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
        bool in_workload_dir = false;
        for (const auto& part : fs::relative(e.path().parent_path(), *ref))
            if (part.string().starts_with("workload")) in_workload_dir = true;
        if (in_workload_dir || e.path().filename().string().starts_with("testing_workload_")) files.push_back(e.path());
    }
    if (files.empty()) return stream::test::skip("no workload YAML under " + ref->string());
    for (const fs::path& f : files) {
        CAPTURE(f.string());
        RecordingBuilder rec;
        CHECK_NOTHROW(load_workload(f.string(), {}, rec.builder()));
        CHECK(rec.layers.size() == YAML::LoadFile(f.string()).size());
        CHECK(looks_like_workload(f.string()));
        for (const auto& l : rec.layers) {
            CHECK(l.loop_product() > 0);
            CHECK(l.operands.back().role == STREAM_OPERAND_OUTPUT);
            for (const auto& o : l.operands)
                for (const auto& a : o.axes) CHECK(a.extent >= 1);
        }
    }
}

TEST_CASE("reference: hardware and mapping YAMLs are not taken for workloads") {
    const auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    int checked = 0;
    for (const auto& e : fs::recursive_directory_iterator(*ref)) {
        if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
        const std::string p = e.path().string();
        if (p.find("/hardware") == std::string::npos && p.find("/mapping") == std::string::npos) continue;
        CAPTURE(p);
        CHECK_FALSE(looks_like_workload(p));
        ++checked;
    }
    if (checked == 0) return stream::test::skip("no hardware or mapping YAML under " + ref->string());
}
