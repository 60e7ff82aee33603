// The host half of the firmware tests (tests/firmware/README.md): builds, trains and exports the networks that the
// Cortex-M firmware checks, and writes what the firmware must reproduce.
//
//   firmware_generator <directory>
//
// writes, with ctnn::io::export_header,
//   tanh_net.hpp      2-16-16-1, Tanh, Tanh, Sigmoid, trained on two circles (binary cross-entropy, SGD)
//   softmax_net.hpp   8-16-16-4, ReLU, ReLU, Softmax, trained on "which of the first four inputs is largest" (Adam)
//   xor_initial.hpp   2-8-1, Tanh, Sigmoid, freshly initialised: the starting point of the XOR training on the device
//   adam_initial.hpp  4-8-3, Tanh, Softmax, freshly initialised: the starting point of the Adam steps on the device
//   tanh_q_float.hpp, tanh_q_fixed.hpp, softmax_q_float.hpp, softmax_q_fixed.hpp
//                     tanh_net and softmax_net quantized to int8 (ctnn::quantize) with FloatRequantizer and
//                     FixedPointRequantizer
//   tanh_bf16.hpp     tanh_net with its weights rounded to bfloat16 (ctnn::BFloat16Network)
// and reference.hpp (namespace reference): the inputs of the forward checks with the exact outputs (computed in long
// double from the exported float parameters) and a rounding-error bound for each; the XOR recipe; the Adam batch and
// the parameters after the Adam steps as the host computes them; the quantized networks' inputs with every quantum and
// output of their passes; tanh_bf16's inputs with the exact outputs and bounds of its widened float network
// (to_float()). Every float is written as a hexadecimal literal, so
// the firmware reads the host's values bit for bit.
//
// The generator checks its own claims before writing them: the host's float forward passes (the SIMD kernels and
// ctnn::simd::scalar_arch, two summation orders) stay within the bounds, XOR converges on the host with the recipe,
// and the SIMD and scalar Adam runs agree within the Adam tolerance. A failed check is a message and exit status 1.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace {

using TanhNet = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>,
                              ctnn::Dense<1, ctnn::Sigmoid>>;
using SoftmaxNet = ctnn::Network<float, ctnn::Input<8>, ctnn::Dense<16, ctnn::ReLU>, ctnn::Dense<16, ctnn::ReLU>,
                                 ctnn::Dense<4, ctnn::Softmax>>;
using XorNet = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
using AdamNet = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

// The same topologies on the scalar path, which is what the firmware runs (no SIMD architecture on Cortex-M).
using ScalarXorNet = ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ctnn::Input<2>, ctnn::Dense<8, ctnn::Tanh>,
                                        ctnn::Dense<1, ctnn::Sigmoid>>;
using ScalarAdamNet = ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>,
                                         ctnn::Dense<3, ctnn::Softmax>>;

// The recipes the firmware repeats (written into reference.hpp).
constexpr int xor_epochs = 1000;  // passes over the four samples, one SGD step per sample, in order
constexpr double xor_learning_rate = 0.2;
constexpr double xor_loss_bound = 0.05;  // mean binary cross-entropy: every output within about 0.05 of its target
constexpr int adam_steps = 5;
constexpr double adam_learning_rate = 0.01;
constexpr std::size_t adam_batch = 8;
constexpr std::size_t forward_samples = 32;
constexpr unsigned init_seed = 7;

using real = long double;

// Unit roundoff of float (round to nearest): every correctly rounded operation is exact within a factor (1 + d),
// |d| <= u.
constexpr real unit_roundoff = 0x1p-24L;

// gamma_n = n u / (1 - n u) bounds the relative error of a sum of n float products, in any order, fused or not
// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., section 3.1).
real gamma(std::size_t n) {
    return static_cast<real>(n) * unit_roundoff / (1 - static_cast<real>(n) * unit_roundoff);
}

real sigmoid(real z) {
    return 1 / (1 + std::exp(-z));
}

enum class Kind { tanh, sigmoid, relu, softmax };
struct Shape {
    std::size_t inputs, outputs;
    Kind kind;
};

struct Reference {
    std::vector<real> outputs;  // exact, from the float parameters and inputs
    std::vector<real> bounds;   // |float result - exact| allowed for each output
};

// The forward pass in long double from the canonical parameters (weight [out][in], then bias, per layer), with a
// first-order bound on the error of any float evaluation, propagated layer by layer:
//   z_j = b_j + sum_i w_ji x_i:  e(z_j) = sum_i |w_ji| e(x_i) + gamma_{m+1} (|b_j| + sum_i |w_ji| (|x_i| + e(x_i)))
//   tanh:     e(y) = L e(z) + 6 u |y|      (L: the largest tanh' within e(z) of z; ctnn's float tanh is within
//                                          3 ulp, and 1 ulp <= 2 u |y|)
//   sigmoid:  e(y) = L e(z) + 6 u |y|      (L: the largest sigmoid' within e(z) of z; within 3 ulp)
//   ReLU:     e(y) = e(z), or 0 where z < -e(z) (the float z is negative too, and both give 0)
//   softmax:  e(y_k) = y_k (2 max_j e(z_j) + 2 (n + 8) u)   (dy_k = y_k (dz_k - sum_j y_j dz_j); the rounding of
//             the shift by the maximum, exp (1.5 ulp), the sum of n terms and the division, each relative to y_k)
// The bound reported is twice the first-order one, for the neglected products of small errors, plus 1e-36 for
// outputs that underflow.
Reference reference_forward(std::span<const float> parameters, std::span<const Shape> shapes,
                            std::span<const float> in) {
    std::vector<real> x(in.begin(), in.end()), e(in.size(), 0);
    std::size_t offset = 0;
    for (const Shape& layer : shapes) {
        std::vector<real> z(layer.outputs), ez(layer.outputs);
        for (std::size_t j = 0; j < layer.outputs; ++j) {
            const real b = parameters[offset + layer.inputs * layer.outputs + j];
            real sum = b, magnitude = std::fabs(b), propagated = 0;
            for (std::size_t i = 0; i < layer.inputs; ++i) {
                const real w = parameters[offset + j * layer.inputs + i];
                sum += w * x[i];
                magnitude += std::fabs(w) * (std::fabs(x[i]) + e[i]);
                propagated += std::fabs(w) * e[i];
            }
            z[j] = sum;
            ez[j] = propagated + gamma(layer.inputs + 1) * magnitude;
        }
        offset += layer.inputs * layer.outputs + layer.outputs;
        std::vector<real> y(layer.outputs), ey(layer.outputs);
        const real largest_error = *std::max_element(ez.begin(), ez.end());
        const real largest = *std::max_element(z.begin(), z.end());
        real total = 0;
        for (std::size_t j = 0; j < layer.outputs; ++j) total += std::exp(z[j] - largest);
        for (std::size_t j = 0; j < layer.outputs; ++j) {
            // The point within e(z) of z closest to 0, where tanh' and sigmoid' are largest.
            const real nearest = std::max(std::fabs(z[j]) - ez[j], real(0));
            switch (layer.kind) {
                case Kind::tanh:
                    y[j] = std::tanh(z[j]);
                    ey[j] = (1 - std::pow(std::tanh(nearest), 2)) * ez[j] + 6 * unit_roundoff * std::fabs(y[j]);
                    break;
                case Kind::sigmoid:
                    y[j] = sigmoid(z[j]);
                    ey[j] = sigmoid(nearest) * (1 - sigmoid(nearest)) * ez[j] + 6 * unit_roundoff * y[j];
                    break;
                case Kind::relu:
                    y[j] = std::max(z[j], real(0));
                    ey[j] = z[j] < -ez[j] ? 0 : ez[j];
                    break;
                case Kind::softmax:
                    y[j] = std::exp(z[j] - largest) / total;
                    ey[j] = y[j] * (2 * largest_error + 2 * static_cast<real>(layer.outputs + 8) * unit_roundoff);
                    break;
            }
        }
        x = std::move(y);
        e = std::move(ey);
    }
    Reference result{x, {}};
    for (real bound : e) result.bounds.push_back(2 * bound + 1e-36L);
    return result;
}

// A float as a C++ literal that reads back bit for bit (hexadecimal significand).
std::string literal(float value) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%af", static_cast<double>(value));
    return buffer;
}

std::string literal(double value) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%a", value);
    return buffer;
}

template <class Range>
std::string row(const Range& values) {
    std::string text = "{";
    for (std::size_t k = 0; k < std::size(values); ++k)
        text += (k ? ", " : "") + literal(static_cast<float>(values[k]));
    return text + "}";
}

template <class Rows>
std::string rows(const Rows& values) {
    std::string text = "{{\n";
    for (const auto& r : values) text += "    " + row(r) + ",\n";
    return text + "}}";
}

bool fail(const std::string& message) {
    std::fprintf(stderr, "firmware_generator: %s\n", message.c_str());
    return false;
}

bool export_network(const auto& net, const std::filesystem::path& directory, const char* name) {
    const ctnn::io::Status status = ctnn::io::export_header(net, directory / (std::string(name) + ".hpp"), name);
    return status ? true : fail(status.message());
}

template <class Net>
std::vector<float> parameters_of(const Net& net) {
    std::vector<float> p(Net::parameter_count);
    net.read_parameters(std::span<float, Net::parameter_count>(p.data(), p.size()));
    return p;
}

// The forward check of one exported network: random inputs, exact outputs, bounds; and the proof on the host that a
// float implementation meets the bounds, with two summation orders (the SIMD kernels, and the scalar path the
// firmware runs).
template <class Net, class ScalarNet>
bool forward_reference(const Net& net, std::span<const Shape> shapes, const char* name, ctnn::Random& random,
                       float spread, std::string& out) {
    const std::vector<float> parameters = parameters_of(net);
    ScalarNet scalar;
    scalar.write_parameters(std::span<const float, Net::parameter_count>(parameters.data(), parameters.size()));
    std::vector<typename Net::input_type> inputs(forward_samples);
    std::vector<std::vector<real>> expected, bounds;
    real worst = 0, widest = 0;
    for (auto& x : inputs) {
        for (float& v : x) v = random.uniform<float>(-spread, spread);
        const Reference ref = reference_forward(parameters, shapes, x);
        const auto simd_y = net.forward(x);
        const auto scalar_y = scalar.forward(x);
        for (std::size_t k = 0; k < Net::output_size; ++k) {
            for (float y : {simd_y[k], scalar_y[k]}) {
                const real error = std::fabs(static_cast<real>(y) - ref.outputs[k]);
                if (!(error <= ref.bounds[k])) {
                    return fail(std::string(name) + ": the host's float forward pass is off by " +
                                std::to_string(static_cast<double>(error)) + ", beyond the bound " +
                                std::to_string(static_cast<double>(ref.bounds[k])));
                }
                worst = std::max(worst, error / ref.bounds[k]);
            }
            widest = std::max(widest, ref.bounds[k]);
        }
        expected.push_back(ref.outputs);
        bounds.push_back(ref.bounds);
    }
    std::printf("firmware_generator: %s: host float errors reach %.0f %% of the bounds (largest bound %.3g)\n", name,
                static_cast<double>(100 * worst), static_cast<double>(widest));
    out += "// " + std::string(name) + ": inputs, exact outputs, and the rounding-error bound of each output.\n";
    out += "inline constexpr std::array<std::array<float, " + std::to_string(Net::input_size) + ">, " +
           std::to_string(forward_samples) + "> " + name + "_inputs = " + rows(inputs) + ";\n";
    out += "inline constexpr std::array<std::array<float, " + std::to_string(Net::output_size) + ">, " +
           std::to_string(forward_samples) + "> " + name + "_expected = " + rows(expected) + ";\n";
    out += "inline constexpr std::array<std::array<float, " + std::to_string(Net::output_size) + ">, " +
           std::to_string(forward_samples) + "> " + name + "_bounds = " + rows(bounds) + ";\n\n";
    return true;
}

// uint8 values as C++ literals, in rows.
template <class Rows>
std::string byte_rows(const Rows& values) {
    std::string text = "{{\n";
    for (const auto& r : values) {
        text += "    {";
        for (std::size_t k = 0; k < r.size(); ++k) {
            char item[8];
            std::snprintf(item, sizeof item, "%s0x%02x", k ? ", " : "", static_cast<unsigned>(r[k]));
            text += item;
        }
        text += "},\n";
    }
    return text + "}}";
}

// A quantized network's check on the device: `net` quantized with requantizer R on `calibration`, exported as
// <name>.hpp, and every quantum of forward_quanta and every output for `inputs` written to reference.hpp. The int8
// kernels are exact, so the device's (the DSP extension's on the Cortex-M4F and M7, the portable loop on the M3) must
// give the host's quanta.
template <class R, class Net>
bool quantized_reference(const Net& net, std::span<const typename Net::input_type> calibration,
                         std::span<const typename Net::input_type> inputs, const char* name,
                         const std::filesystem::path& directory, std::string& out) {
    using Q = ctnn::QuantizedNetwork<Net, R>;
    const Q q = ctnn::quantize<R>(net, calibration);
    const ctnn::io::Status status = ctnn::io::export_header(q, directory / (std::string(name) + ".hpp"), name);
    if (!status) return fail(status.message());
    std::vector<std::array<std::uint8_t, Q::quanta_size>> quanta(inputs.size());
    std::vector<typename Net::output_type> outputs(inputs.size());
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        outputs[s] = q.forward_quanta(inputs[s], quanta[s]);
    }
    std::printf("firmware_generator: %s: %zu bytes of parameters\n", name, Q::storage_bytes);
    out += "// " + std::string(name) + ": every quantum of forward_quanta and the outputs for " + name + "'s inputs.\n";
    out += "inline constexpr std::array<std::array<std::uint8_t, " + std::to_string(Q::quanta_size) + ">, " +
           std::to_string(inputs.size()) + "> " + name + "_quanta = " + byte_rows(quanta) + ";\n";
    out += "inline constexpr std::array<std::array<float, " + std::to_string(Net::output_size) + ">, " +
           std::to_string(inputs.size()) + "> " + name + "_outputs = " + rows(outputs) + ";\n\n";
    return true;
}

// Inputs of the quantized checks: most within [-spread, spread] (the calibration's range), a quarter ten times
// wider, so that the input's clamps, ReLU's and the tables' ends are reached.
template <class Net>
std::vector<typename Net::input_type> quantized_inputs(ctnn::Random& random, float spread, const char* name,
                                                       std::string& out) {
    std::vector<typename Net::input_type> inputs(forward_samples);
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        const float wide = s % 4 == 3 ? 10 * spread : spread;
        for (float& v : inputs[s]) v = random.uniform<float>(-wide, wide);
    }
    out += "// The inputs of the quantized " + std::string(name) + " checks.\n";
    out += "inline constexpr std::array<std::array<float, " + std::to_string(Net::input_size) + ">, " +
           std::to_string(inputs.size()) + "> " + name + "_quantized_inputs = " + rows(inputs) + ";\n";
    return inputs;
}

// XOR with the recipe of the firmware, on the scalar path: it must converge here for the device's test to mean
// anything, and the untrained network must not already pass.
bool xor_reference(const XorNet& initial, std::string& out) {
    const std::vector<float> parameters = parameters_of(initial);
    ScalarXorNet net;
    net.write_parameters(std::span<const float, XorNet::parameter_count>(parameters.data(), parameters.size()));
    const std::array<ScalarXorNet::input_type, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
    const std::array<ScalarXorNet::output_type, 4> targets{{{0}, {1}, {1}, {0}}};
    const float before = ctnn::loss<ctnn::BinaryCrossEntropy>(net, inputs, targets);
    ctnn::Trainer<ScalarXorNet, ctnn::BinaryCrossEntropy> trainer(net, {.learning_rate = {xor_learning_rate}});
    for (int epoch = 0; epoch < xor_epochs; ++epoch) {
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            if (!trainer.step(inputs[s], targets[s])) return fail("xor: a training step diverged on the host");
        }
    }
    const float after = ctnn::loss<ctnn::BinaryCrossEntropy>(net, inputs, targets);
    std::printf("firmware_generator: xor: mean loss %.4f before, %.6f after %d epochs on the host\n", before, after,
                xor_epochs);
    if (!(before > xor_loss_bound)) return fail("xor: the initial network already meets the loss bound");
    if (!(after < xor_loss_bound / 4))
        return fail("xor: the recipe does not converge well within the bound on the host");
    out += "// XOR: the firmware trains xor_initial::network with one SGD step per sample, in order, for xor_epochs\n";
    out += "// passes; converged means every output on the right side of 0.5 and a mean loss below xor_loss_bound.\n";
    out += "inline constexpr int xor_epochs = " + std::to_string(xor_epochs) + ";\n";
    out += "inline constexpr double xor_learning_rate = " + literal(xor_learning_rate) + ";\n";
    out += "inline constexpr float xor_loss_bound = " + literal(static_cast<float>(xor_loss_bound)) + ";\n\n";
    return true;
}

// Adam: adam_steps steps on one minibatch, from adam_initial, computed on the scalar path (the firmware's code), and
// with the SIMD kernels as a check of the tolerance against another summation order.
bool adam_reference(const AdamNet& initial, ctnn::Random& random, float tolerance, std::string& out) {
    std::array<AdamNet::input_type, adam_batch> inputs;
    std::array<AdamNet::output_type, adam_batch> targets{};
    for (std::size_t s = 0; s < adam_batch; ++s) {
        for (float& v : inputs[s]) v = random.uniform<float>(-1.5f, 1.5f);
        targets[s][random.below(AdamNet::output_size)] = 1;
    }
    const std::vector<float> parameters = parameters_of(initial);
    ScalarAdamNet scalar;
    scalar.write_parameters(std::span<const float, AdamNet::parameter_count>(parameters.data(), parameters.size()));
    AdamNet simd = initial;
    const ctnn::Adam<> adam{.learning_rate = {adam_learning_rate}};
    ctnn::Trainer<ScalarAdamNet, ctnn::CategoricalCrossEntropy, ctnn::Adam<>> scalar_trainer(scalar, adam);
    ctnn::Trainer<AdamNet, ctnn::CategoricalCrossEntropy, ctnn::Adam<>> simd_trainer(simd, adam);
    const std::span<const AdamNet::input_type> xs(inputs);
    const std::span<const AdamNet::output_type> ts(targets);
    for (int t = 0; t < adam_steps; ++t) {
        const bool scalar_ok = scalar_trainer.step(xs, ts).ok(), simd_ok = simd_trainer.step(xs, ts).ok();
        if (!scalar_ok || !simd_ok) return fail("adam: a training step diverged on the host");
    }
    const std::vector<float> after = parameters_of(scalar), other = parameters_of(simd);
    float moved = 0, apart = 0;
    for (std::size_t k = 0; k < after.size(); ++k) {
        moved = std::max(moved, std::fabs(after[k] - parameters[k]));
        apart = std::max(apart, std::fabs(after[k] - other[k]));
    }
    std::printf(
        "firmware_generator: adam: parameters moved up to %.3g; scalar and SIMD runs %.3g apart (tolerance %.3g)\n",
        static_cast<double>(moved), static_cast<double>(apart), static_cast<double>(tolerance));
    if (!(apart <= tolerance)) return fail("adam: the host's scalar and SIMD runs differ by more than the tolerance");
    if (!(moved > 100 * tolerance)) return fail("adam: the steps move the parameters too little to test anything");
    out += "// Adam: adam_steps steps on one minibatch from adam_initial::network; the parameters after them, in the\n";
    out += "// canonical order, as the host's scalar path computes them.\n";
    out += "inline constexpr int adam_steps = " + std::to_string(adam_steps) + ";\n";
    out += "inline constexpr double adam_learning_rate = " + literal(adam_learning_rate) + ";\n";
    out += "inline constexpr std::array<std::array<float, " + std::to_string(AdamNet::input_size) + ">, " +
           std::to_string(adam_batch) + "> adam_inputs = " + rows(inputs) + ";\n";
    out += "inline constexpr std::array<std::array<float, " + std::to_string(AdamNet::output_size) + ">, " +
           std::to_string(adam_batch) + "> adam_targets = " + rows(targets) + ";\n";
    out += "inline constexpr std::array<float, " + std::to_string(after.size()) + "> adam_expected = " + row(after) +
           ";\n";
    out += "inline constexpr float adam_tolerance = " + literal(tolerance) + ";\n\n";
    return true;
}

// Initialisation on the device: the same seed must give the same network on every target (ctnn::Random is 32-bit
// integer arithmetic, and a float network's initialisers compute in float). Three initialisers in a row from one
// generator, each written as the parameters in the canonical order.
bool init_reference(std::string& out) {
    using ScalarTanhNet =
        ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>,
                           ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
    ctnn::Random random(init_seed);
    ScalarTanhNet net;
    out += "// Initialisers of a 2-16-16-1 float network, one after another from ctnn::Random(init_seed): the\n";
    out += "// parameters after each, in the canonical order, as the host computes them.\n";
    out += "inline constexpr unsigned init_seed = " + std::to_string(init_seed) + ";\n";
    ctnn::init::normal_inverse_fan_in(net, random);
    out += "inline constexpr std::array<float, " + std::to_string(ScalarTanhNet::parameter_count) +
           "> init_normal_inverse_fan_in = " + row(parameters_of(net)) + ";\n";
    ctnn::init::xavier_normal(net, random);
    out += "inline constexpr std::array<float, " + std::to_string(ScalarTanhNet::parameter_count) +
           "> init_xavier_normal = " + row(parameters_of(net)) + ";\n";
    ctnn::init::he_uniform(net, random);
    out += "inline constexpr std::array<float, " + std::to_string(ScalarTanhNet::parameter_count) +
           "> init_he_uniform = " + row(parameters_of(net)) + ";\n";
    ctnn::init::pytorch_default(net, random);
    out += "inline constexpr std::array<float, " + std::to_string(ScalarTanhNet::parameter_count) +
           "> init_pytorch_default = " + row(parameters_of(net)) + ";\n\n";
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: firmware_generator <directory>\n");
        return 2;
    }
    const std::filesystem::path directory = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    ctnn::Random random(2024);

    // Two circles: inside radius 1.2 or not.
    static TanhNet tanh_net;
    ctnn::init::normal_inverse_fan_in(tanh_net, random);
    {
        std::vector<TanhNet::input_type> xs(256);
        std::vector<TanhNet::output_type> ts(xs.size());
        for (std::size_t s = 0; s < xs.size(); ++s) {
            xs[s] = {random.uniform<float>(-2, 2), random.uniform<float>(-2, 2)};
            ts[s] = {xs[s][0] * xs[s][0] + xs[s][1] * xs[s][1] < 1.44f ? 1.0f : 0.0f};
        }
        ctnn::Trainer<TanhNet, ctnn::BinaryCrossEntropy> trainer(tanh_net, {.learning_rate = {0.1}});
        if (!trainer.train_random_samples(xs, ts, 20000)) return fail("tanh_net: training diverged"), 1;
    }
    // Four classes: which of the first four inputs is largest; the other four are noise.
    static SoftmaxNet softmax_net;
    ctnn::init::he_normal(softmax_net, random);
    {
        std::vector<SoftmaxNet::input_type> xs(256);
        std::vector<SoftmaxNet::output_type> ts(xs.size());
        for (std::size_t s = 0; s < xs.size(); ++s) {
            for (float& v : xs[s]) v = random.normal<float>();
            ts[s] = {};
            ts[s][static_cast<std::size_t>(std::max_element(xs[s].begin(), xs[s].begin() + 4) - xs[s].begin())] = 1;
        }
        ctnn::Trainer<SoftmaxNet, ctnn::CategoricalCrossEntropy, ctnn::Adam<>> trainer(softmax_net);
        if (!trainer.train_random_samples(xs, ts, 20000)) return fail("softmax_net: training diverged"), 1;
    }
    XorNet xor_net;
    ctnn::init::normal_inverse_fan_in(xor_net, random);
    AdamNet adam_net;
    ctnn::init::normal_inverse_fan_in(adam_net, random);

    const Shape tanh_shapes[] = {{2, 16, Kind::tanh}, {16, 16, Kind::tanh}, {16, 1, Kind::sigmoid}};
    const Shape softmax_shapes[] = {{8, 16, Kind::relu}, {16, 16, Kind::relu}, {16, 4, Kind::softmax}};
    using ScalarTanhNet =
        ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>,
                           ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
    using ScalarSoftmaxNet =
        ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ctnn::Input<8>, ctnn::Dense<16, ctnn::ReLU>,
                           ctnn::Dense<16, ctnn::ReLU>, ctnn::Dense<4, ctnn::Softmax>>;

    // Adam's tolerance. The firmware runs the scalar path's operations in the host's order, so its result differs
    // from the host's only by rounding: the compiler may fuse a * b + c (the host's x86-64 build does not), and libm's
    // powf (the bias correction) may differ in the last bit. Each Adam step moves a parameter by
    // eta m^ / (sqrt(v^) + eps), a ratio of the gradient's moments: a relative perturbation r of the gradients
    // perturbs it by about r eta. Rounding gives r of order 1e-6 for these 9-term sums, or more for a gradient that
    // cancels to near zero, so 5 steps of eta = 0.01 drift about 5e-8 apart; 1e-5 leaves a factor of 200, and is
    // still a thousandth of the 0.05 that five full steps move a parameter (a wrong moment, bias correction or rate
    // is caught). The generator checks it against a run with another summation order (the SIMD kernels).
    constexpr float adam_tolerance = 1e-5f;

    std::string out =
        "// Generated by firmware_generator (tests/firmware/host/generator.cpp). Do not edit.\n"
        "#pragma once\n\n#include <array>\n#include <cstdint>\n\nnamespace reference {\n\n";
    const bool ok =
        export_network(tanh_net, directory, "tanh_net") && export_network(softmax_net, directory, "softmax_net") &&
        export_network(xor_net, directory, "xor_initial") && export_network(adam_net, directory, "adam_initial") &&
        forward_reference<TanhNet, ScalarTanhNet>(tanh_net, tanh_shapes, "tanh_net", random, 2.0f, out) &&
        forward_reference<SoftmaxNet, ScalarSoftmaxNet>(softmax_net, softmax_shapes, "softmax_net", random, 2.0f,
                                                        out) &&
        xor_reference(xor_net, out) && adam_reference(adam_net, random, adam_tolerance, out) && init_reference(out);
    if (!ok) return 1;

    // The quantized networks: tanh_net and softmax_net quantized after training with each requantizer, calibrated on
    // 256 inputs of the training distribution.
    std::vector<TanhNet::input_type> tanh_calibration(256);
    for (auto& x : tanh_calibration) x = {random.uniform<float>(-2, 2), random.uniform<float>(-2, 2)};
    std::vector<SoftmaxNet::input_type> softmax_calibration(256);
    for (auto& x : softmax_calibration) {
        for (float& v : x) v = random.normal<float>();
    }
    const auto tanh_inputs = quantized_inputs<TanhNet>(random, 2.0f, "tanh", out);
    const auto softmax_inputs = quantized_inputs<SoftmaxNet>(random, 2.0f, "softmax", out);
    const bool quantized_ok =
        quantized_reference<ctnn::FloatRequantizer, TanhNet>(tanh_net, tanh_calibration, tanh_inputs, "tanh_q_float",
                                                             directory, out) &&
        quantized_reference<ctnn::FixedPointRequantizer, TanhNet>(tanh_net, tanh_calibration, tanh_inputs,
                                                                  "tanh_q_fixed", directory, out) &&
        quantized_reference<ctnn::FloatRequantizer, SoftmaxNet>(softmax_net, softmax_calibration, softmax_inputs,
                                                                "softmax_q_float", directory, out) &&
        quantized_reference<ctnn::FixedPointRequantizer, SoftmaxNet>(softmax_net, softmax_calibration, softmax_inputs,
                                                                     "softmax_q_fixed", directory, out);
    if (!quantized_ok) return 1;

    // tanh_net with bfloat16 weights: its outputs are those of the float network of the widened weights, bit for bit
    // (checked here on the host's kernels), so that network's exact outputs and bounds hold for it.
    const auto tanh_bf16 = ctnn::to_bfloat16(tanh_net);
    const TanhNet widened = tanh_bf16.to_float();
    for (int s = 0; s < 64; ++s) {
        const TanhNet::input_type x = {random.uniform<float>(-2, 2), random.uniform<float>(-2, 2)};
        if (tanh_bf16.forward(x) != widened.forward(x)) return fail("tanh_bf16: not its to_float()'s outputs"), 1;
    }
    if (!export_network(tanh_bf16, directory, "tanh_bf16") ||
        !forward_reference<TanhNet, ScalarTanhNet>(widened, tanh_shapes, "tanh_bf16", random, 2.0f, out)) {
        return 1;
    }
    out += "}  // namespace reference\n";
    const std::string path = (directory / "reference.hpp").string();
    std::FILE* file = std::fopen(path.c_str(), "w");
    const bool written = file != nullptr && std::fwrite(out.data(), 1, out.size(), file) == out.size();
    if (file == nullptr || std::fclose(file) != 0 || !written) return fail("cannot write " + path), 1;
    std::printf("firmware_generator: wrote the headers to %s\n", argv[1]);
    return 0;
}
