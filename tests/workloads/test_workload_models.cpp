// The shipped model library, configs/workloads/*.onnxtxt, as the ONNX frontend
// reads it through `stream-dse workload show FILE --json`: every model loads, its
// MAC total is the one derived by hand in the file's header (repeated here), and
// its Conv/Gemm/MatMul layers have the counts and loop sizes of the architecture.
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;
using stream::test::TempDir;

namespace {

const fs::path kBinary = fs::path(STREAM_DSE_BINARY_DIR) / "bin" / "stream-dse";
const fs::path kWorkloads = fs::path(STREAM_DSE_SOURCE_DIR) / "configs" / "workloads";

using Loops = std::map<std::string, std::int64_t>;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// `stream-dse workload show FILE --json`, parsed; fails the test on a non-zero exit.
nlohmann::json show(const fs::path& file) {
    TempDir tmp;
    const fs::path err = tmp.path() / "stderr";
    const std::string cmd = kBinary.string() + " workload show '" + file.string() + "' --json 2>'" + err.string() + "'";
    std::string out;
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
    const int status = pclose(pipe);
    const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    INFO("command: " << cmd);
    INFO("stderr: " << slurp(err));
    REQUIRE(exit_code == 0);
    return nlohmann::json::parse(out);
}

nlohmann::json model(const std::string& file) { return show(kWorkloads / file); }

std::int64_t count_op(const nlohmann::json& j, const std::string& op) {
    std::int64_t n = 0;
    for (const auto& l : j["layers"])
        if (l["op"] == op) ++n;
    return n;
}

/// The sum of the per-layer MACs of one op type.
std::int64_t macs_of_op(const nlohmann::json& j, const std::string& op) {
    std::int64_t n = 0;
    for (const auto& l : j["layers"])
        if (l["op"] == op) n += l["macs"].get<std::int64_t>();
    return n;
}

nlohmann::json layer(const nlohmann::json& j, const std::string& name) {
    for (const auto& l : j["layers"])
        if (l["name"] == name) return l;
    FAIL("no layer named '" << name << "'");
    return {};
}

/// Layer `name` has op `op`, exactly these loop sizes and `macs` MACs.
void check_layer(const nlohmann::json& j, const std::string& name, const std::string& op, const Loops& loops, std::int64_t macs) {
    CAPTURE(name);
    const nlohmann::json l = layer(j, name);
    CHECK(l["op"] == op);
    CHECK(l["loop_sizes"].get<Loops>() == loops);
    CHECK(l["macs"].get<std::int64_t>() == macs);
}

} // namespace

TEST_SUITE("e2e") {

TEST_CASE("every model in configs/workloads loads, with MACs and a named layer per node") {
    int files = 0;
    for (const auto& entry : fs::directory_iterator(kWorkloads)) {
        if (entry.path().extension() != ".onnxtxt") continue;
        CAPTURE(entry.path().string());
        ++files;
        const nlohmann::json j = show(entry.path());
        CHECK(j["total_macs"].get<std::int64_t>() > 0);
        CHECK(j["n_layers"].get<std::size_t>() == j["layers"].size());
        std::int64_t sum = 0;
        for (const auto& l : j["layers"]) {
            CHECK(!l["name"].get<std::string>().empty());
            sum += l["macs"].get<std::int64_t>();
        }
        // total_macs counts Conv, ConvTranspose, Gemm and MatMul; the other layers report 0.
        CHECK(sum == j["total_macs"].get<std::int64_t>());
    }
    CHECK(files >= 7);
}

TEST_CASE("two_conv: 5,160,960 MACs in two 3x3 convs") {
    const nlohmann::json j = model("two_conv.onnxtxt");
    // conv1 16*3*32*32*3*3 = 442,368; conv2 32*16*32*32*3*3 = 4,718,592.
    CHECK(j["total_macs"].get<std::int64_t>() == 442'368 + 4'718'592);
    CHECK(j["total_macs"].get<std::int64_t>() == 5'160'960);
    CHECK(count_op(j, "Conv") == 2);
    CHECK(j["n_layers"] == 4);
    check_layer(j, "conv1", "Conv", {{"B", 1}, {"G", 1}, {"K", 16}, {"C", 3}, {"OY", 32}, {"OX", 32}, {"FY", 3}, {"FX", 3}}, 442'368);
    check_layer(j, "conv2", "Conv", {{"B", 1}, {"G", 1}, {"K", 32}, {"C", 16}, {"OY", 32}, {"OX", 32}, {"FY", 3}, {"FX", 3}}, 4'718'592);
}

TEST_CASE("resnet18: 1,814,073,344 MACs, torchvision's figure with a 1000-class Gemm") {
    const nlohmann::json j = model("resnet18.onnxtxt");
    // conv1 64*3*112*112*7*7                                  = 118,013,952
    // layer1 4 x 64*64*56*56*3*3                              = 462,422,016
    // layer2 128*64*28*28*9 + 3 x 128*128*28*28*9 + 128*64*28*28 = 411,041,792
    // layer3 and layer4: the same products                    = 2 x 411,041,792
    // fc 1000*512                                             = 512,000
    const std::int64_t conv1 = 64LL * 3 * 112 * 112 * 7 * 7;
    const std::int64_t layer1 = 4LL * 64 * 64 * 56 * 56 * 3 * 3;
    const std::int64_t layer2 = 128LL * 64 * 28 * 28 * 9 + 3LL * 128 * 128 * 28 * 28 * 9 + 128LL * 64 * 28 * 28;
    const std::int64_t layer3 = 256LL * 128 * 14 * 14 * 9 + 3LL * 256 * 256 * 14 * 14 * 9 + 256LL * 128 * 14 * 14;
    const std::int64_t layer4 = 512LL * 256 * 7 * 7 * 9 + 3LL * 512 * 512 * 7 * 7 * 9 + 512LL * 256 * 7 * 7;
    const std::int64_t fc = 1000LL * 512;
    CHECK(conv1 == 118'013'952);
    CHECK(layer1 == 462'422'016);
    CHECK(layer2 == 411'041'792);
    CHECK(layer3 == 411'041'792);
    CHECK(layer4 == 411'041'792);
    CHECK(conv1 + layer1 + layer2 + layer3 + layer4 + fc == 1'814'073'344);
    CHECK(j["total_macs"].get<std::int64_t>() == 1'814'073'344);
    CHECK(macs_of_op(j, "Gemm") == fc);
    CHECK(count_op(j, "Conv") == 20); // 1 + 4 stages x 4 + 3 downsamples
    CHECK(count_op(j, "Gemm") == 1);
    CHECK(count_op(j, "MatMul") == 0);
    CHECK(count_op(j, "BatchNormalization") == 20);
    CHECK(count_op(j, "Add") == 8);
    check_layer(j, "conv1", "Conv", {{"B", 1}, {"G", 1}, {"K", 64}, {"C", 3}, {"OY", 112}, {"OX", 112}, {"FY", 7}, {"FX", 7}}, conv1);
    check_layer(j, "layer2_0_conv1", "Conv", {{"B", 1}, {"G", 1}, {"K", 128}, {"C", 64}, {"OY", 28}, {"OX", 28}, {"FY", 3}, {"FX", 3}},
                57'802'752);
    check_layer(j, "layer3_0_downsample", "Conv", {{"B", 1}, {"G", 1}, {"K", 256}, {"C", 128}, {"OY", 14}, {"OX", 14}, {"FY", 1}, {"FX", 1}},
                6'422'528);
    check_layer(j, "layer4_1_conv2", "Conv", {{"B", 1}, {"G", 1}, {"K", 512}, {"C", 512}, {"OY", 7}, {"OX", 7}, {"FY", 3}, {"FX", 3}},
                115'605'504);
    check_layer(j, "logits", "Gemm", {{"B", 1}, {"K", 1000}, {"C", 512}}, fc);
    // MaxPool 3x3/2 pad 1 takes 112x112 to 56x56.
    CHECK(layer(j, "maxpool")["loop_sizes"]["OY"] == 56);
}

TEST_CASE("resnet50: 4,089,184,256 MACs in torchvision's v1.5 bottlenecks") {
    const nlohmann::json j = model("resnet50.onnxtxt");
    // A bottleneck of width w on an HxH output: 1x1 Cin->w at the input resolution,
    // 3x3 w->w (stride 2 in a stage's first block), 1x1 w->4w; the first block of
    // each stage adds a 1x1 downsample Cin->4w at the output resolution.
    auto block = [](std::int64_t cin, std::int64_t w, std::int64_t hin, std::int64_t hout, bool downsample) {
        return cin * w * hin * hin + w * w * hout * hout * 9 + 4 * w * w * hout * hout + (downsample ? 4 * w * cin * hout * hout : 0);
    };
    const std::int64_t conv1 = 64LL * 3 * 112 * 112 * 7 * 7;                                      // 118,013,952
    const std::int64_t layer1 = block(64, 64, 56, 56, true) + 2 * block(256, 64, 56, 56, false);     // 231,211,008 + 2 x 218,365,952
    const std::int64_t layer2 = block(256, 128, 56, 28, true) + 3 * block(512, 128, 28, 28, false);  // 372,506,624 + 3 x 218,365,952
    const std::int64_t layer3 = block(512, 256, 28, 14, true) + 5 * block(1024, 256, 14, 14, false); // 372,506,624 + 5 x 218,365,952
    const std::int64_t layer4 = block(1024, 512, 14, 7, true) + 2 * block(2048, 512, 7, 7, false);   // 372,506,624 + 2 x 218,365,952
    const std::int64_t fc = 1000LL * 2048;
    CHECK(block(64, 64, 56, 56, true) == 231'211'008);
    CHECK(block(256, 128, 56, 28, true) == 372'506'624);
    CHECK(block(512, 128, 28, 28, false) == 218'365'952);
    CHECK(layer1 == 667'942'912);
    CHECK(layer2 == 1'027'604'480);
    CHECK(layer3 == 1'464'336'384);
    CHECK(layer4 == 809'238'528);
    CHECK(conv1 + layer1 + layer2 + layer3 + layer4 + fc == 4'089'184'256);
    CHECK(j["total_macs"].get<std::int64_t>() == 4'089'184'256);
    CHECK(count_op(j, "Conv") == 53); // 1 + 16 blocks x 3 + 4 downsamples
    CHECK(count_op(j, "Gemm") == 1);
    CHECK(count_op(j, "MatMul") == 0);
    CHECK(count_op(j, "Add") == 16);
    check_layer(j, "layer1_0_conv1", "Conv", {{"B", 1}, {"G", 1}, {"K", 64}, {"C", 64}, {"OY", 56}, {"OX", 56}, {"FY", 1}, {"FX", 1}},
                12'845'056);
    // v1.5: the stride sits on the 3x3 conv, so conv1 of layer2_0 still runs at 56x56.
    check_layer(j, "layer2_0_conv1", "Conv", {{"B", 1}, {"G", 1}, {"K", 128}, {"C", 256}, {"OY", 56}, {"OX", 56}, {"FY", 1}, {"FX", 1}},
                102'760'448);
    check_layer(j, "layer2_0_conv2", "Conv", {{"B", 1}, {"G", 1}, {"K", 128}, {"C", 128}, {"OY", 28}, {"OX", 28}, {"FY", 3}, {"FX", 3}},
                115'605'504);
    check_layer(j, "layer4_0_downsample", "Conv", {{"B", 1}, {"G", 1}, {"K", 2048}, {"C", 1024}, {"OY", 7}, {"OX", 7}, {"FY", 1}, {"FX", 1}},
                102'760'448);
    check_layer(j, "layer4_2_conv3", "Conv", {{"B", 1}, {"G", 1}, {"K", 2048}, {"C", 512}, {"OY", 7}, {"OX", 7}, {"FY", 1}, {"FX", 1}},
                51'380'224);
    check_layer(j, "logits", "Gemm", {{"B", 1}, {"K", 1000}, {"C", 2048}}, fc);
}

TEST_CASE("mobilenetv2: 300,774,272 MACs with depthwise convs as grouped Conv") {
    const nlohmann::json j = model("mobilenetv2.onnxtxt");
    // Inverted residual: 1x1 expand cin->t*cin at hin (absent for t = 1), 3x3
    // depthwise t*cin at hout, 1x1 project t*cin->cout at hout.
    auto block = [](std::int64_t t, std::int64_t cin, std::int64_t cout, std::int64_t hin, std::int64_t hout) {
        const std::int64_t hidden = t * cin;
        return (t == 1 ? 0 : cin * hidden * hin * hin) + hidden * hout * hout * 9 + cout * hidden * hout * hout;
    };
    const std::int64_t stem = 32LL * 3 * 112 * 112 * 9;                                              //  10,838,016
    const std::int64_t f1 = block(1, 32, 16, 112, 112);                                              //  10,035,200
    const std::int64_t f2_3 = block(6, 16, 24, 112, 56) + block(6, 24, 24, 56, 56);                 //  54,942,720
    const std::int64_t f4_6 = block(6, 24, 32, 56, 28) + 2 * block(6, 32, 32, 28, 28);              //  37,443,840
    const std::int64_t f7_10 = block(6, 32, 64, 28, 14) + 3 * block(6, 64, 64, 14, 14);            //  38,497,536
    const std::int64_t f11_13 = block(6, 64, 96, 14, 14) + 2 * block(6, 96, 96, 14, 14);           //  58,103,808
    const std::int64_t f14_16 = block(6, 96, 160, 14, 7) + 2 * block(6, 160, 160, 7, 7);           //  46,560,192
    const std::int64_t f17 = block(6, 160, 320, 7, 7);                                               //  23,002,560
    const std::int64_t f18 = 1280LL * 320 * 7 * 7;                                                   //  20,070,400
    const std::int64_t fc = 1000LL * 1280;                                                           //   1,280,000
    CHECK(f1 == 10'035'200);
    CHECK(f2_3 == 54'942'720);
    CHECK(f4_6 == 37'443'840);
    CHECK(f7_10 == 38'497'536);
    CHECK(f11_13 == 58'103'808);
    CHECK(f14_16 == 46'560'192);
    CHECK(f17 == 23'002'560);
    CHECK(stem + f1 + f2_3 + f4_6 + f7_10 + f11_13 + f14_16 + f17 + f18 + fc == 300'774'272);
    CHECK(j["total_macs"].get<std::int64_t>() == 300'774'272);
    CHECK(count_op(j, "Conv") == 52); // stem + 2 + 16 x 3 + last 1x1
    CHECK(count_op(j, "Gemm") == 1);
    CHECK(count_op(j, "MatMul") == 0);
    CHECK(count_op(j, "Clip") == 35); // ReLU6 after the stem, every expand and depthwise conv, and the last conv
    CHECK(count_op(j, "Add") == 10);  // stride-1 blocks with cin == cout
    int depthwise = 0;
    for (const auto& l : j["layers"])
        if (l["op"] == "Conv" && l["loop_sizes"]["G"].get<std::int64_t>() > 1) ++depthwise;
    CHECK(depthwise == 17);
    check_layer(j, "features_0_conv", "Conv", {{"B", 1}, {"G", 1}, {"K", 32}, {"C", 3}, {"OY", 112}, {"OX", 112}, {"FY", 3}, {"FX", 3}},
                stem);
    check_layer(j, "features_2_dw", "Conv", {{"B", 1}, {"G", 96}, {"K", 1}, {"C", 1}, {"OY", 56}, {"OX", 56}, {"FY", 3}, {"FX", 3}},
                2'709'504);
    check_layer(j, "features_14_dw", "Conv", {{"B", 1}, {"G", 576}, {"K", 1}, {"C", 1}, {"OY", 7}, {"OX", 7}, {"FY", 3}, {"FX", 3}},
                254'016);
    check_layer(j, "features_17_project", "Conv", {{"B", 1}, {"G", 1}, {"K", 320}, {"C", 960}, {"OY", 7}, {"OX", 7}, {"FY", 1}, {"FX", 1}},
                15'052'800);
    check_layer(j, "logits", "Gemm", {{"B", 1}, {"K", 1000}, {"C", 1280}}, fc);
}

TEST_CASE("transformer_encoder: 931,135,488 MACs in one BERT-base layer") {
    const nlohmann::json j = model("transformer_encoder.onnxtxt");
    // S = 128, hidden 768, 12 heads of 64, FFN 3072.
    const std::int64_t proj = 128LL * 768 * 768;   // q, k, v, out: 4 x 75,497,472
    const std::int64_t attn = 12LL * 128 * 128 * 64; // Q·K^T and P·V: 2 x 12,582,912
    const std::int64_t ffn = 128LL * 3072 * 768;   // up and down: 2 x 301,989,888
    CHECK(proj == 75'497'472);
    CHECK(attn == 12'582'912);
    CHECK(ffn == 301'989'888);
    CHECK(4 * proj + 2 * attn + 2 * ffn == 931'135'488);
    CHECK(j["total_macs"].get<std::int64_t>() == 931'135'488);
    CHECK(count_op(j, "MatMul") == 8);
    CHECK(count_op(j, "Conv") == 0);
    CHECK(count_op(j, "Gemm") == 0);
    CHECK(count_op(j, "Softmax") == 1);
    CHECK(count_op(j, "LayerNormalization") == 2);
    CHECK(count_op(j, "Gelu") == 1);
    check_layer(j, "q_proj", "MatMul", {{"H", 1}, {"B", 128}, {"K", 768}, {"C", 768}}, proj);
    check_layer(j, "scores", "MatMul", {{"H0", 1}, {"H1", 12}, {"B", 128}, {"K", 128}, {"C", 64}}, attn);
    check_layer(j, "context", "MatMul", {{"H0", 1}, {"H1", 12}, {"B", 128}, {"K", 64}, {"C", 128}}, attn);
    check_layer(j, "ffn_up", "MatMul", {{"H", 1}, {"B", 128}, {"K", 3072}, {"C", 768}}, ffn);
    check_layer(j, "ffn_down", "MatMul", {{"H", 1}, {"B", 128}, {"K", 768}, {"C", 3072}}, ffn);
    // The scores reach Q·K^T through the head split: K transposed to 12 x 64 x 128.
    const Loops k_t{{"D0", 1}, {"D1", 12}, {"D2", 64}, {"D3", 128}};
    CHECK(layer(j, "k_t")["loop_sizes"].get<Loops>() == k_t);
}

TEST_CASE("llama_decoder_block: 13,421,772,800 MACs in one Llama block with SwiGLU") {
    const nlohmann::json j = model("llama_decoder_block.onnxtxt");
    // S = 256, hidden 2048, 16 heads of 128, MLP 5632.
    const std::int64_t proj = 256LL * 2048 * 2048;    // q, k, v, o: 4 x 1,073,741,824
    const std::int64_t attn = 16LL * 256 * 256 * 128; // Q·K^T and P·V: 2 x 134,217,728
    const std::int64_t mlp = 256LL * 5632 * 2048;     // gate, up, down: 3 x 2,952,790,016
    CHECK(proj == 1'073'741'824);
    CHECK(attn == 134'217'728);
    CHECK(mlp == 2'952'790'016);
    CHECK(4 * proj + 2 * attn + 3 * mlp == 13'421'772'800);
    CHECK(j["total_macs"].get<std::int64_t>() == 13'421'772'800);
    CHECK(count_op(j, "MatMul") == 9);
    CHECK(count_op(j, "Conv") == 0);
    CHECK(count_op(j, "Gemm") == 0);
    CHECK(count_op(j, "LayerNormalization") == 2); // RMSNorm stand-ins
    CHECK(count_op(j, "Sigmoid") == 1);
    check_layer(j, "q_proj", "MatMul", {{"H", 1}, {"B", 256}, {"K", 2048}, {"C", 2048}}, proj);
    check_layer(j, "scores", "MatMul", {{"H0", 1}, {"H1", 16}, {"B", 256}, {"K", 256}, {"C", 128}}, attn);
    check_layer(j, "context", "MatMul", {{"H0", 1}, {"H1", 16}, {"B", 256}, {"K", 128}, {"C", 256}}, attn);
    check_layer(j, "gate_proj", "MatMul", {{"H", 1}, {"B", 256}, {"K", 5632}, {"C", 2048}}, mlp);
    check_layer(j, "up_proj", "MatMul", {{"H", 1}, {"B", 256}, {"K", 5632}, {"C", 2048}}, mlp);
    check_layer(j, "down_proj", "MatMul", {{"H", 1}, {"B", 256}, {"K", 2048}, {"C", 5632}}, mlp);
    // Rotary embedding: each half of a head is sliced out (64 of 128) and swapped back.
    CHECK(layer(j, "q_x1")["loop_sizes"].get<Loops>() == Loops{{"D0", 1}, {"D1", 16}, {"D2", 256}, {"D3", 64}});
    CHECK(layer(j, "q_half_rot")["loop_sizes"].get<Loops>() == Loops{{"D0", 1}, {"D1", 16}, {"D2", 256}, {"D3", 128}});
}

} // TEST_SUITE
