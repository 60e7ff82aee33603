// ctnn::QuantizedNetwork and ctnn::quantize (include/ctnn/quantized_network.hpp) against an independent reference
// written here from the conventions' definitions (PyTorch's observers, quantize_val, QuantizeBias and QNNPACK's
// requantization and tables): plain loops over the canonical parameters, int64 accumulators over (x - z_in) w plus an
// unfolded bias, std::nearbyint for every rounding, each float step through a volatile so no contraction can merge
// it. Every quantum of every layer, every qparam, weight and bias must be equal; on random networks of every supported
// activation and output unit, with weights at -128, zero points 0 and 255, inputs far outside the calibrated range
// (accumulators that saturate at both clamps) and rounding ties.

#include "ctnn/quantized_network.hpp"

#include "ctnn/ctnn.hpp"
#include "ctnn/detail/static_for.hpp"

#include "support/random_network.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using ctnn_test::random_inputs;
using ctnn_test::random_network;

using ctnn::Dense;
using ctnn::Input;

// ---------------------------------------------------------------------------------------------------------------------
// The reference.

struct RefQParams {
    float scale;
    int zero_point;
};

float rounded(float v) {  // one float operation's result, kept as such
    volatile float r = v;
    return r;
}

// MinMaxObserver(quint8): scale = max((max(hi, 0) - min(lo, 0)) / 255, eps); zp = clamp(-nearbyint(min_neg / scale)).
RefQParams ref_affine(float lo, float hi) {
    const float min_neg = lo < 0 ? lo : 0.0f, max_pos = hi > 0 ? hi : 0.0f;
    float scale = rounded(rounded(max_pos - min_neg) / 255.0f);
    if (scale < 0x1p-23f) scale = 0x1p-23f;
    const double shift = std::nearbyint(rounded(min_neg / scale));
    return {scale, static_cast<int>(std::clamp(-shift, 0.0, 255.0))};
}

// quantize_val: clamp(nearbyint(x * (1.0f / scale)) + zp, lo, hi).
long ref_quantize(float x, float scale, long zero_point, long lo, long hi) {
    const float inverse = rounded(1.0f / scale);
    const double q = std::nearbyint(rounded(x * inverse)) + static_cast<double>(zero_point);
    return static_cast<long>(std::clamp(q, static_cast<double>(lo), static_cast<double>(hi)));
}

// One quantized layer of the reference: everything recomputed from the float parameters and the observed range.
struct RefLayer {
    std::size_t in = 0, out = 0;
    bool relu = false, table = false, softmax = false;
    std::vector<float> weight_scales;
    std::vector<long> weights;  // [o][i]
    std::vector<long> bias;     // unfolded, at s_in s_w
    std::vector<float> multipliers;
    RefQParams linear{}, output{};
    std::array<long, 256> lut{};
};

template <class Net>
struct Reference {
    RefQParams input{};
    std::vector<RefLayer> layers;

    Reference(const Net& net, const ctnn::Calibration<Net>& calibration) {
        input = ref_affine(calibration.input().min_value(), calibration.input().max_value());
        RefQParams in = input;
        std::size_t k = 0;  // canonical index
        ctnn::detail::static_for<Net::layer_count>([&](auto i) {
            using L = typename Net::layers::template at<i>;
            using Act = typename L::activation;
            RefLayer r;
            r.in = L::input_size;
            r.out = L::output_size;
            r.relu = std::is_same_v<Act, ctnn::ReLU>;
            r.table = std::is_same_v<Act, ctnn::Tanh> || std::is_same_v<Act, ctnn::Sigmoid>;
            r.softmax = std::is_same_v<Act, ctnn::Softmax>;
            r.linear = ref_affine(calibration.layer(i).min_value(), calibration.layer(i).max_value());
            r.output = std::is_same_v<Act, ctnn::Tanh>      ? RefQParams{1.0f / 128, 128}
                       : std::is_same_v<Act, ctnn::Sigmoid> ? RefQParams{1.0f / 256, 0}
                                                            : r.linear;
            const std::size_t weights_start = k, bias_start = k + r.in * r.out;
            for (std::size_t o = 0; o < r.out; ++o) {
                double amax = 0;
                for (std::size_t j = 0; j < r.in; ++j) {
                    amax = std::max(amax, std::fabs(static_cast<double>(net.parameter(weights_start + o * r.in + j))));
                }
                float scale = rounded(static_cast<float>(amax) / 127.5f);
                if (scale < 0x1p-23f) scale = 0x1p-23f;
                r.weight_scales.push_back(scale);
                for (std::size_t j = 0; j < r.in; ++j) {
                    r.weights.push_back(ref_quantize(net.parameter(weights_start + o * r.in + j), scale, 0, -128, 127));
                }
                // QuantizeBias: the double product of the scales, as a float scale of quantize_val.
                const auto bias_scale = static_cast<float>(static_cast<double>(scale) * in.scale);
                r.bias.push_back(ref_quantize(net.parameter(bias_start + o), bias_scale, 0, INT32_MIN, INT32_MAX));
                r.multipliers.push_back(rounded(rounded(scale * in.scale) * rounded(1.0f / r.linear.scale)));
            }
            if (r.table) {
                for (int q = 0; q < 256; ++q) {
                    const float z = rounded(r.linear.scale * static_cast<float>(q - r.linear.zero_point));
                    const float v = std::is_same_v<Act, ctnn::Tanh>
                                        ? static_cast<float>(128.0 * std::tanh(static_cast<double>(z)) + 128.0)
                                        : rounded(256.0f / rounded(1.0f + std::exp(-z)));
                    r.lut[static_cast<std::size_t>(q)] = std::lrint(std::clamp(v, 0.0f, 255.0f));
                }
            }
            k += L::parameter_count;
            in = r.output;
            layers.push_back(r);
        });
    }

    // Every quantum of the pass, in forward_quanta's order.
    std::vector<long> quanta(const typename Net::input_type& x) const {
        std::vector<long> cur;
        for (const float v : x) cur.push_back(ref_quantize(v, input.scale, input.zero_point, 0, 255));
        return quanta_from(std::move(cur));
    }

    // Every quantum of the pass from the input quanta `cur`.
    std::vector<long> quanta_from(std::vector<long> cur) const {
        std::vector<long> all = cur;
        long z_in = input.zero_point;
        for (const RefLayer& r : layers) {
            std::vector<long> linear, out;
            for (std::size_t o = 0; o < r.out; ++o) {
                long long acc = r.bias[o];
                for (std::size_t j = 0; j < r.in; ++j) acc += (cur[j] - z_in) * r.weights[o * r.in + j];
                const double p = std::nearbyint(rounded(static_cast<float>(acc) * r.multipliers[o]));
                const double low = r.relu ? r.linear.zero_point : 0;
                const auto q = static_cast<long>(std::clamp(p + r.linear.zero_point, low, 255.0));
                linear.push_back(q);
                out.push_back(r.table ? r.lut[static_cast<std::size_t>(q)] : q);
            }
            all.insert(all.end(), linear.begin(), linear.end());
            all.insert(all.end(), out.begin(), out.end());
            cur = out;
            z_in = r.output.zero_point;
        }
        return all;
    }

    // The float output: the last quanta dequantized (softmax of the logits in double).
    std::vector<double> output(const typename Net::input_type& x) const { return output_of(quanta(x)); }

    // The float output of the pass whose quanta are `all`.
    std::vector<double> output_of(const std::vector<long>& all) const {
        const RefLayer& r = layers.back();
        std::vector<double> y;
        for (std::size_t o = 0; o < r.out; ++o) {
            const long q = all[all.size() - r.out + o];
            y.push_back(static_cast<double>(static_cast<float>(q - r.output.zero_point) * r.output.scale));
        }
        if (r.softmax) {
            const double top = *std::max_element(y.begin(), y.end());
            double sum = 0;
            for (double& v : y) sum += (v = std::exp(v - top));
            for (double& v : y) v /= sum;
        }
        return y;
    }
};

// ---------------------------------------------------------------------------------------------------------------------
// The comparisons.

struct Counts {
    std::size_t quanta = 0, at_zero = 0, at_255 = 0, weights_at_minus_128 = 0;
};

// The quantized network agrees with the reference on every parameter and every quantum of `probes`.
template <class Net>
Counts check_against_reference(const Net& net, const ctnn::Calibration<Net>& calibration,
                               const std::vector<typename Net::input_type>& probes) {
    using Q = ctnn::QuantizedNetwork<Net>;
    const auto q = std::make_unique<Q>(net, calibration);
    const Reference<Net> ref(net, calibration);
    Counts counts;

    REQUIRE(q->input_qparams().scale == ref.input.scale);
    REQUIRE(q->input_qparams().zero_point == ref.input.zero_point);
    ctnn::detail::static_for<Net::layer_count>([&](auto i) {
        const auto& layer = q->template layer<i>();
        const RefLayer& r = ref.layers[i];
        INFO("layer " << i);
        REQUIRE(layer.linear_qparams.scale == r.linear.scale);
        REQUIRE(layer.linear_qparams.zero_point == r.linear.zero_point);
        REQUIRE(layer.output_qparams.scale == r.output.scale);
        REQUIRE(layer.output_qparams.zero_point == r.output.zero_point);
        const long z_in = i == 0 ? ref.input.zero_point : ref.layers[i - 1].output.zero_point;
        for (std::size_t o = 0; o < r.out; ++o) {
            REQUIRE(layer.weight_scales[o] == r.weight_scales[o]);
            REQUIRE(layer.multipliers[o] == r.multipliers[o]);
            long long row_sum = 0;
            for (std::size_t j = 0; j < layer.row_stride; ++j) {
                const long w = layer.weights(o, j);
                REQUIRE(w == (j < r.in ? r.weights[o * r.in + j] : 0));  // padding zero
                row_sum += w;
                counts.weights_at_minus_128 += w == -128;
            }
            REQUIRE(layer.bias[o] == r.bias[o] - z_in * row_sum);
        }
        if constexpr (Q::template layer_type<i>::has_lookup_table) {
            for (std::size_t k = 0; k < 256; ++k) REQUIRE(layer.lookup_table[k] == r.lut[k]);
        }
    });

    std::vector<std::uint8_t> quanta(Q::quanta_size);
    for (const auto& x : probes) {
        const auto y = q->forward_quanta(x, std::span<std::uint8_t, Q::quanta_size>(quanta.data(), Q::quanta_size));
        const std::vector<long> expected = ref.quanta(x);
        REQUIRE(expected.size() == Q::quanta_size);
        for (std::size_t k = 0; k < Q::quanta_size; ++k) {
            INFO("quantum " << k);
            REQUIRE(static_cast<long>(quanta[k]) == expected[k]);
            counts.at_zero += quanta[k] == 0;
            counts.at_255 += quanta[k] == 255;
        }
        counts.quanta += Q::quanta_size;
        const auto plain = q->forward(x);
        const std::vector<double> expected_y = ref.output(x);
        for (std::size_t k = 0; k < Net::output_size; ++k) {
            REQUIRE(plain[k] == y[k]);
            if constexpr (std::is_same_v<typename Net::output_activation, ctnn::Softmax>) {
                REQUIRE(plain[k] == Approx(expected_y[k]).epsilon(1e-5).margin(1e-7));
            } else {
                REQUIRE(static_cast<double>(plain[k]) == expected_y[k]);
            }
        }
        // From the input's quanta (the reference's): the same output, bit for bit.
        std::array<std::uint8_t, Net::input_size> input_quanta;
        for (std::size_t k = 0; k < Net::input_size; ++k) input_quanta[k] = static_cast<std::uint8_t>(expected[k]);
        REQUIRE(q->forward_from_quanta(input_quanta) == plain);
        // predict_class: as data::predict_class on the reference's outputs (argmax, first of equals).
        if constexpr (Net::output_size == 1) {
            REQUIRE(q->predict_class(x) == (expected_y[0] >= 0.5 ? 1u : 0u));
        } else {
            const auto last = expected.end() - static_cast<std::ptrdiff_t>(Net::output_size);
            REQUIRE(q->predict_class(x) == static_cast<std::size_t>(std::max_element(last, expected.end()) - last));
        }
    }
    // Any bytes as input quanta, each of 0 .. 255 in every position: the reference's pass from them.
    for (std::size_t start = 0; start < 256; ++start) {
        std::array<std::uint8_t, Net::input_size> input_quanta;
        std::vector<long> ref_quanta;
        for (std::size_t k = 0; k < Net::input_size; ++k) {
            input_quanta[k] = static_cast<std::uint8_t>((start + 101 * k) % 256);
            ref_quanta.push_back(input_quanta[k]);
        }
        const auto y = q->forward_from_quanta(input_quanta);
        const std::vector<double> expected_y = ref.output_of(ref.quanta_from(ref_quanta));
        for (std::size_t k = 0; k < Net::output_size; ++k) {
            if constexpr (std::is_same_v<typename Net::output_activation, ctnn::Softmax>) {
                REQUIRE(y[k] == Approx(expected_y[k]).epsilon(1e-5).margin(1e-7));
            } else {
                REQUIRE(static_cast<double>(y[k]) == expected_y[k]);
            }
        }
    }
    // The batch forward is the one-sample forward, sample by sample.
    std::vector<typename Net::output_type> batch(probes.size());
    q->forward(probes, batch);
    for (std::size_t s = 0; s < probes.size(); ++s) REQUIRE(batch[s] == q->forward(probes[s]));
    return counts;
}

template <class Net>
ctnn::Calibration<Net> calibrate(const Net& net, const std::vector<typename Net::input_type>& inputs) {
    ctnn::Calibration<Net> calibration;
    calibration.observe(net, inputs);
    return calibration;
}

using Topologies =
    std::tuple<ctnn::Network<float, Input<5>, Dense<13, ctnn::ReLU>, Dense<7, ctnn::Tanh>, Dense<3, ctnn::Softmax>>,
               ctnn::Network<float, Input<3>, Dense<9, ctnn::Sigmoid>, Dense<6, ctnn::Linear>, Dense<1, ctnn::Sigmoid>>,
               ctnn::Network<float, Input<8>, Dense<16, ctnn::ReLU>, Dense<16, ctnn::ReLU>, Dense<3, ctnn::Linear>>,
               ctnn::Network<float, Input<2>, Dense<4, ctnn::Tanh>, Dense<2, ctnn::Tanh>>,
               ctnn::Network<float, Input<33>, Dense<1, ctnn::ReLU>, Dense<5, ctnn::Sigmoid>>>;

}  // namespace

TEMPLATE_LIST_TEST_CASE("QuantizedNetwork agrees with the reference on every quantum of random networks",
                        "[quantized_network]", Topologies) {
    using Net = TestType;
    Counts total;
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        const auto net = random_network<Net>(seed);
        const auto inputs = random_inputs<Net>(64, -2.0f, 2.0f, seed + 100);
        const auto calibration = calibrate(*net, inputs);
        // The calibration samples, and samples up to 8 times outside their range: every clamp is reached.
        auto probes = random_inputs<Net>(32, -2.0f, 2.0f, seed + 200);
        const auto far = random_inputs<Net>(32, -16.0f, 16.0f, seed + 300);
        probes.insert(probes.end(), inputs.begin(), inputs.end());
        probes.insert(probes.end(), far.begin(), far.end());
        const Counts c = check_against_reference(*net, calibration, probes);
        total.quanta += c.quanta;
        total.at_zero += c.at_zero;
        total.at_255 += c.at_255;
        total.weights_at_minus_128 += c.weights_at_minus_128;
    }
    CHECK(total.at_zero > 0);
    CHECK(total.at_255 > 0);
    CHECK(total.weights_at_minus_128 > 0);
}

TEST_CASE("QuantizedNetwork: all-positive and all-negative ranges give zero points 0 and 255", "[quantized_network]") {
    using Net = ctnn::Network<float, Input<4>, Dense<6, ctnn::Linear>, Dense<5, ctnn::ReLU>, Dense<2, ctnn::Linear>>;
    auto net = random_network<Net>(7);
    // The first layer's outputs all positive, the last one's all negative: biases far from zero.
    for (std::size_t o = 0; o < 6; ++o) net->set_parameter(4 * 6 + o, 20.0f);
    const std::size_t last_bias = Net::parameter_count - 2;
    net->set_parameter(last_bias, -500.0f);
    net->set_parameter(last_bias + 1, -500.0f);
    for (const auto& [low, high, zero_point] : {std::tuple{0.5f, 3.0f, 0}, std::tuple{-3.0f, -0.5f, 255}}) {
        const auto inputs = random_inputs<Net>(50, low, high, 5);
        const auto calibration = calibrate(*net, inputs);
        const auto q = ctnn::quantize(*net, std::span<const Net::input_type>(inputs));
        CHECK(q.input_qparams().zero_point == zero_point);
        CHECK(q.layer<0>().linear_qparams.zero_point == 0);
        CHECK(q.layer<2>().linear_qparams.zero_point == 255);
        auto probes = random_inputs<Net>(40, -4.0f, 4.0f, 9);
        probes.insert(probes.end(), inputs.begin(), inputs.end());
        check_against_reference(*net, calibration, probes);
    }
}

TEST_CASE("QuantizedNetwork: quantize(net, inputs) is the network of a Calibration that observed them",
          "[quantized_network]") {
    using Net = ctnn::Network<float, Input<5>, Dense<13, ctnn::ReLU>, Dense<7, ctnn::Tanh>, Dense<3, ctnn::Softmax>>;
    const auto net = random_network<Net>(3);
    const auto inputs = random_inputs<Net>(20, -1.0f, 1.0f, 4);
    ctnn::Calibration<Net> two_batches;  // observing in several calls is observing once
    two_batches.observe(*net, std::span<const Net::input_type>(inputs).first(7));
    two_batches.observe(*net, std::span<const Net::input_type>(inputs).subspan(7));
    const auto a = ctnn::quantize(*net, std::span<const Net::input_type>(inputs));
    const auto b = ctnn::quantize(*net, two_batches);
    for (const auto& x : inputs) CHECK(a.forward(x) == b.forward(x));
    CHECK(std::memcmp(&a, &b, sizeof a) == 0);
}

TEST_CASE("QuantizedNetwork: sizes are the parameters", "[quantized_network]") {
    using Small = ctnn::Network<float, Input<2>, Dense<16, ctnn::Tanh>, Dense<16, ctnn::Tanh>, Dense<1, ctnn::Sigmoid>>;
    using Q = ctnn::QuantizedNetwork<Small>;
    STATIC_REQUIRE(sizeof(Q) == Q::storage_bytes);
    STATIC_REQUIRE(std::is_trivially_copyable_v<Q>);
    // Per layer: Out rows of padded(In, 4) int8, per unit bias + scale + multiplier (12 bytes), two qparams (16),
    // a 256-byte table for Tanh and Sigmoid; and the input's qparams (8).
    constexpr std::size_t expected =
        8 + (16 * 4 + 16 * 12 + 16 + 256) + (16 * 16 + 16 * 12 + 16 + 256) + (1 * 16 + 1 * 12 + 16 + 256);
    STATIC_REQUIRE(Q::storage_bytes == expected);
    using Mnist =
        ctnn::Network<float, Input<784>, Dense<128, ctnn::ReLU>, Dense<64, ctnn::ReLU>, Dense<10, ctnn::Softmax>>;
    using QM = ctnn::QuantizedNetwork<Mnist>;
    STATIC_REQUIRE(sizeof(QM) == QM::storage_bytes);
    STATIC_REQUIRE(QM::storage_bytes ==
                   8 + (128 * 784 + 128 * 12 + 16) + (64 * 128 + 64 * 12 + 16) + (10 * 64 + 10 * 12 + 16));
}

TEST_CASE("QuantizedNetwork with FixedPointRequantizer: the first layer within one quantum of the float path",
          "[quantized_network]") {
    using Net = ctnn::Network<float, Input<8>, Dense<16, ctnn::ReLU>, Dense<16, ctnn::Tanh>, Dense<3, ctnn::Softmax>>;
    using QF = ctnn::QuantizedNetwork<Net>;
    using QI = ctnn::QuantizedNetwork<Net, ctnn::FixedPointRequantizer>;
    STATIC_REQUIRE(sizeof(QI) == QI::storage_bytes);
    // Per unit a shift beside each multiplier, and no weight scale: 12 bytes, as with FloatRequantizer.
    STATIC_REQUIRE(QI::storage_bytes == QF::storage_bytes);
    STATIC_REQUIRE(QI::storage_bytes ==
                   8 + (16 * 8 + 16 * 12 + 16) + (16 * 16 + 16 * 12 + 16 + 256) + (3 * 16 + 3 * 12 + 16));
    STATIC_REQUIRE(std::is_trivially_copyable_v<QI>);
    const auto net = random_network<Net>(21);
    const auto inputs = random_inputs<Net>(100, -2.0f, 2.0f, 22);
    const auto calibration = calibrate(*net, inputs);
    const auto f = std::make_unique<QF>(*net, calibration);
    const auto i = std::make_unique<QI>(*net, calibration);
    CHECK(f->layer<0>().bias == i->layer<0>().bias);
    CHECK(f->layer<0>().weights == i->layer<0>().weights);
    std::vector<std::uint8_t> a(QF::quanta_size), b(QI::quanta_size);
    std::size_t differ = 0, same_class = 0;
    for (const auto& x : inputs) {
        (void)f->forward_quanta(x, std::span<std::uint8_t, QF::quanta_size>(a.data(), a.size()));
        (void)i->forward_quanta(x, std::span<std::uint8_t, QI::quanta_size>(b.data(), b.size()));
        for (std::size_t k = 0; k < QF::output_quanta_offset(0) + 16; ++k) {
            REQUIRE(std::abs(int{a[k]} - int{b[k]}) <= 1);
            differ += a[k] != b[k];
        }
        same_class += f->predict_class(x) == i->predict_class(x);
    }
    CHECK(same_class >= 95);
    INFO(differ << " first-layer quanta differ by one");
}
