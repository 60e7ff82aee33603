// The main demo: decision boundaries of learned classifiers on 2-D data that no line
// separates (two spirals, two circles, two moons), for a network with one hidden layer
// and one with two, of 16 and of 32 tanh units. Each is trained with Adam on minibatches,
// reports its progress, and is drawn as a PNG of the plane coloured by the predicted class
// with the training points on top; all twelve together make decision_boundaries.png.
//
//   demo [output directory]     (default: the directory of this executable)
//
// Exits non-zero unless every network with two hidden layers classifies at least 95 % of
// fresh test points of the two spirals correctly.
#include <ctnn/ctnn.hpp>

#include "support/plot.hpp"
#include "support/progress.hpp"
#include "support/toy_data.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace examples {

bool Image::write_png(const std::string& path) const {
    return stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3) != 0;
}

}  // namespace examples

namespace {

using namespace ctnn;
using examples::Point;

template <std::size_t Units>
using OneHidden = Network<float, Input<2>, Dense<Units, Tanh>, Dense<1, Sigmoid>>;
template <std::size_t Units>
using TwoHidden = Network<float, Input<2>, Dense<Units, Tanh>, Dense<Units, Tanh>, Dense<1, Sigmoid>>;

constexpr std::size_t epochs = 400;
constexpr std::size_t batch_size = 16;

/// FNV-1a over the parameters in the canonical order: the demo's fingerprint.
template <class Net>
std::uint64_t weights_hash(const Net& net, std::uint64_t hash) {
    std::array<float, Net::parameter_count> p{};
    net.read_parameters(p);
    for (float v : p) {
        unsigned char bytes[sizeof v];
        std::memcpy(bytes, &v, sizeof v);
        for (unsigned char b : bytes) hash = (hash ^ b) * 0x100000001b3ull;
    }
    return hash;
}

template <class Net>
float accuracy(const Net& net, const std::vector<Point>& points) {
    std::size_t correct = 0;
    for (const Point& p : points) correct += (net.forward({p.x, p.y})[0] > 0.5f) == (p.label == 1);
    return static_cast<float>(correct) / static_cast<float>(points.size());
}

struct Result {
    float test_accuracy;
    examples::Image image;
    std::uint64_t hash;
};

template <class Net>
Result train(const char* data_name, const char* net_name, std::vector<Point> train_points,
             const std::vector<Point>& test_points, std::uint64_t seed) {
    Random random(seed);
    Net net;
    init::normal_inverse_fan_in(net, random);
    Trainer<Net, BinaryCrossEntropy, Adam<>> trainer(net, {.learning_rate = {0.01}}, seed);

    std::vector<typename Net::input_type> inputs(train_points.size());
    std::vector<typename Net::output_type> targets(train_points.size());
    char label[32];
    std::snprintf(label, sizeof label, "%-7s %-9s", data_name, net_name);
    examples::Progress progress(label, epochs);
    for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
        std::shuffle(train_points.begin(), train_points.end(), random);
        for (std::size_t i = 0; i < train_points.size(); ++i) {
            inputs[i] = {train_points[i].x, train_points[i].y};
            targets[i] = {static_cast<float>(train_points[i].label)};
        }
        const auto run = trainer.train_epoch(inputs, targets, batch_size);
        if (!progress.completed(epoch, run)) break;  // the accuracy it reaches is then reported as it is
        if (progress.due(epoch))
            progress.report(epoch, run.loss, {examples::Figure::percent("train", accuracy(net, train_points))},
                            epoch * train_points.size());
    }
    auto probability = [&](float x, float y) { return net.forward({x, y})[0]; };
    return {accuracy(net, test_points), examples::decision_boundary(probability, train_points),
            weights_hash(net, seed)};
}

}  // namespace

int main(int argc, char** argv) {
    std::string out = argc > 1 ? argv[1] : std::string(argv[0]);
    if (argc <= 1) out = out.find('/') == std::string::npos ? "." : out.substr(0, out.rfind('/'));

    std::printf("ctnn demo: decision boundaries, %zu epochs of Adam in batches of %zu, kernels: %s\n", epochs,
                batch_size, simd::default_arch::name());
    using Generator = std::vector<Point> (*)(std::size_t, Random&, float);
    struct DataSet {
        const char* name;
        Generator generate;
        float noise;
    };
    const DataSet sets[] = {{"spirals", examples::two_spirals, 0.02f},
                            {"circles", examples::circles, 0.05f},
                            {"moons", examples::moons, 0.12f}};

    constexpr int panel = 240, gap = 6;
    examples::Image grid(4 * panel + 5 * gap, 3 * panel + 4 * gap);
    std::uint64_t hash = 0xcbf29ce484222325ull;
    float worst_two_layer_spirals = 1;
    bool written = true;
    int row = 0;
    for (const DataSet& set : sets) {
        Random random(2026 + static_cast<std::uint64_t>(row));
        const std::vector<Point> train_points = set.generate(400, random, set.noise);
        const std::vector<Point> test_points = set.generate(1000, random, set.noise);
        const Result results[] = {
            train<OneHidden<16>>(set.name, "2-16-1", train_points, test_points, 1),
            train<OneHidden<32>>(set.name, "2-32-1", train_points, test_points, 2),
            train<TwoHidden<16>>(set.name, "2-16-16-1", train_points, test_points, 3),
            train<TwoHidden<32>>(set.name, "2-32-32-1", train_points, test_points, 4),
        };
        const char* names[] = {"16", "32", "16-16", "32-32"};
        for (int col = 0; col < 4; ++col) {
            const Result& r = results[col];
            std::printf("%-8s hidden %-6s test accuracy %5.1f %%\n", set.name, names[col], 100 * r.test_accuracy);
            const std::string file = out + "/" + set.name + "_" + names[col] + ".png";
            written = r.image.write_png(file) && written;
            grid.paste(r.image, gap + col * (panel + gap), gap + row * (panel + gap));
            hash = (hash ^ r.hash) * 0x100000001b3ull;
            if (row == 0 && col >= 2) worst_two_layer_spirals = std::min(worst_two_layer_spirals, r.test_accuracy);
        }
        ++row;
    }
    const std::string grid_file = out + "/decision_boundaries.png";
    written = grid.write_png(grid_file) && written;
    std::printf("pictures: %s (rows: spirals, circles, moons; columns: hidden 16, 32, 16-16, 32-32)%s\n",
                grid_file.c_str(), written ? "" : " -- could not write every file");
    std::printf("demo: spirals with two hidden layers %.1f %% test accuracy (needs 95), weights %016llx\n",
                100 * worst_two_layer_spirals, static_cast<unsigned long long>(hash));
    return written && worst_two_layer_spirals >= 0.95f ? 0 : 1;
}
