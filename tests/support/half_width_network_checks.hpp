#pragma once

// The checks of a network of 16-bit weights (ctnn::BFloat16Network, ctnn::Float16Network: detail::half_width_network)
// against the float network whose weights an independent reference rounded (support/bfloat16_reference.hpp,
// support/float16_reference.hpp): sizes from the specs, stored weights, one-sample and batch forward bit for bit, and
// the SIMD and scalar kernels' agreement up to summation order.

#include "ctnn/ctnn.hpp"

#include "support/float_format_reference.hpp"

#include <boost/hana/for_each.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn_test {

/// Calls `f(std::type_identity<Net>{})` for every network of the tuple.
template <class Tuple, class F>
void for_each_network(F&& f) {
    [&]<class... Nets>(std::type_identity<std::tuple<Nets...>>) {
        (f(std::type_identity<Nets>{}), ...);
    }(std::type_identity<Tuple>{});
}

/// Calls `f(first, count, learned_slope)` for each layer of Net: its first canonical index, its weight count
/// (In x Out, first in the layer), and its parameter count.
template <class Net, class F>
void for_each_layer(F&& f) {
    std::size_t first = 0;
    boost::hana::for_each(Net::layers::types, [&](auto layer) {
        using L = typename decltype(layer)::type;
        f(first, L::input_size * L::output_size, L::parameter_count);
        first += L::parameter_count;
    });
}

/// Random parameters in the canonical order: weights normal(0, 1/sqrt(fan_in)), biases normal(0, 0.5), PReLU slopes
/// uniform in [0, 0.5). With `tiny`, every 7th weight is 1e-5 times smaller (into binary16's subnormals, below
/// 2^-14 = 6.1e-5).
template <class Net>
std::vector<float> random_parameters(ctnn::Random& random, bool tiny = false) {
    std::vector<float> p(Net::parameter_count);
    boost::hana::for_each(Net::layers::types, [&, k = std::size_t{0}](auto layer) mutable {
        using L = typename decltype(layer)::type;
        const float scale = 1.0f / std::sqrt(static_cast<float>(L::input_size));
        for (std::size_t n = 0; n < L::input_size * L::output_size; ++n)
            p[k++] = random.normal<float>(0.0f, tiny && n % 7 == 3 ? 1e-5f * scale : scale);
        for (std::size_t n = 0; n < L::output_size; ++n) p[k++] = random.normal<float>(0.0f, 0.5f);
        for (std::size_t n = L::output_size + L::input_size * L::output_size; n < L::parameter_count; ++n)
            p[k++] = random.uniform<float>(0.0f, 0.5f);
    });
    return p;
}

/// The parameters with every weight rounded by `reference` (float to the nearest value of the format, as a float), the
/// rest unchanged.
template <class Net>
std::vector<float> rounded_weights(std::vector<float> p, float (*reference)(float)) {
    for_each_layer<Net>([&](std::size_t first, std::size_t weights, std::size_t) {
        for (std::size_t k = first; k < first + weights; ++k) p[k] = reference(p[k]);
    });
    return p;
}

/// Every parameter of `net` in the canonical order.
template <class Net>
std::vector<float> parameters_of(const Net& net) {
    std::vector<float> p(Net::parameter_count);
    net.read_parameters(std::span<float, Net::parameter_count>(p.data(), Net::parameter_count));
    return p;
}

template <class Net>
std::unique_ptr<Net> network_of(const std::vector<float>& p) {
    auto net = std::make_unique<Net>();
    net->write_parameters(std::span<const float, Net::parameter_count>(p.data(), Net::parameter_count));
    return net;
}

template <class Net>
std::vector<typename Net::input_type> random_inputs(ctnn::Random& random, std::size_t count) {
    std::vector<typename Net::input_type> inputs(count);
    for (auto& x : inputs) {
        for (float& v : x) v = random.normal<float>();
    }
    return inputs;
}

/// The bytes the layout of Net's specs asks for, computed from the specs: per layer In x padded(Out) weights of 2
/// bytes (all layers' together rounded up to the alignment), padded(Out) biases and as many PReLU slopes of 4.
template <class Net>
constexpr std::size_t expected_bytes() {
    std::size_t weights = 0, vectors = 0;
    boost::hana::for_each(Net::layers::types, [&](auto layer) {
        using L = typename decltype(layer)::type;
        const std::size_t padded = ctnn::simd::padded<float, typename Net::arch_type>(L::output_size);
        // In x padded(Out) weights, input-major; one output after at least a register of inputs: a row of padded(In).
        const bool row = L::output_size == 1 && L::input_size >= ctnn::simd::width<float, typename Net::arch_type>;
        weights += row ? ctnn::simd::padded<float, typename Net::arch_type>(L::input_size) : L::input_size * padded;
        vectors += padded * (L::parameter_count > L::input_size * L::output_size + L::output_size ? 2 : 1);
    });
    const std::size_t weight_bytes = (2 * weights + Net::alignment - 1) / Net::alignment * Net::alignment;
    return weight_bytes + 4 * vectors;
}

/// Every value of both, bit for bit, with the first difference in the message.
template <class Rows>
void check_same_bits(const char* what, const Rows& got, const Rows& want) {
    REQUIRE(got.size() == want.size());
    std::size_t differ = 0;
    for (std::size_t s = 0; s < got.size(); ++s) {
        for (std::size_t k = 0; k < got[s].size(); ++k) {
            if (ctnn_test::bits_of(got[s][k]) != ctnn_test::bits_of(want[s][k]) && differ++ == 0) {
                FAIL_CHECK(what << ": sample " << s << " output " << k << ": " << got[s][k] << " instead of "
                                << want[s][k]);
            }
        }
    }
    CHECK(differ == 0);
}

/// `Rounded<Net>` (ctnn::BFloat16Network, ctnn::Float16Network) of random parameters (`tiny` as random_parameters):
/// its sizes are what the layout says, its stored weights are `reference`'s rounding of the float network's, and its
/// forward passes, one sample and batched, are bit for bit those of the float network of those rounded weights.
template <template <class> class Rounded, class Net>
void check_network(float (*reference)(float), bool tiny = false) {
    using B = Rounded<Net>;
    static_assert(sizeof(B) == B::storage_bytes);
    static_assert(B::storage_bytes == expected_bytes<Net>());
    static_assert(std::is_trivially_copyable_v<B>);
    static_assert(std::is_same_v<typename B::output_type, typename Net::output_type>);
    static_assert(noexcept(std::declval<const B&>().forward(std::declval<const typename Net::input_type&>())));

    INFO("network " << Net::input_size << " inputs, " << Net::layer_count << " layers, " << Net::output_size
                    << " outputs, " << Net::arch_type::name());
    ctnn::Random random(20261130);
    const std::vector<float> p = random_parameters<Net>(random, tiny);
    const auto net = network_of<Net>(p);
    const auto rounded = network_of<Net>(rounded_weights<Net>(p, reference));
    const auto half = std::make_unique<B>(*net);

    // Stored weights: the reference rounding of each; biases and slopes: unchanged.
    CHECK(*std::make_unique<Net>(half->to_float()) == *rounded);

    const auto inputs = random_inputs<Net>(random, 2 * Net::batch_tile + 3);
    std::vector<typename Net::output_type> got, want;
    for (const auto& x : inputs) {
        got.push_back(half->forward(x));
        want.push_back(rounded->forward(x));
    }
    check_same_bits("one sample", got, want);

    // One sample, a part of a tile, and whole tiles with some left over.
    for (std::size_t count : {std::size_t{1}, std::size_t{5}, inputs.size()}) {
        INFO(count << " samples");
        std::vector<typename Net::output_type> batch_got(count), batch_want(count);
        const std::span<const typename Net::input_type> batch(inputs.data(), count);
        half->forward(batch, batch_got);
        rounded->forward(batch, batch_want);
        check_same_bits("batch", batch_got, batch_want);
    }
}

/// Every |got - want| <= 1e-5 (|want| + max |want|): float rounding in another summation order, relative to the value
/// with a floor at the output's scale (a sum that cancels keeps the absolute error of its largest terms).
template <class Rows>
void check_close(const char* what, const Rows& got, const Rows& want) {
    REQUIRE(got.size() == want.size());
    std::size_t differ = 0;
    for (std::size_t s = 0; s < got.size(); ++s) {
        double scale = 0;
        for (float v : want[s]) scale = std::max(scale, std::fabs(static_cast<double>(v)));
        for (std::size_t k = 0; k < got[s].size(); ++k) {
            const double error = std::fabs(static_cast<double>(got[s][k]) - want[s][k]);
            if (!(error <= 1e-5 * (std::fabs(static_cast<double>(want[s][k])) + scale)) && differ++ == 0) {
                FAIL_CHECK(what << ": sample " << s << " output " << k << ": " << got[s][k] << " instead of "
                                << want[s][k]);
            }
        }
    }
    CHECK(differ == 0);
}

/// The same parameters rounded for the SIMD and the scalar kernels: the same outputs up to summation order.
template <template <class> class Rounded, class SimdNet, class ScalarNet>
void check_agreement(bool tiny = false) {
    static_assert(SimdNet::parameter_count == ScalarNet::parameter_count);
    ctnn::Random random(7);
    const std::vector<float> p = random_parameters<SimdNet>(random, tiny);
    const auto simd = std::make_unique<Rounded<SimdNet>>(*network_of<SimdNet>(p));
    const auto scalar = std::make_unique<Rounded<ScalarNet>>(*network_of<ScalarNet>(p));
    const auto inputs = random_inputs<SimdNet>(random, SimdNet::batch_tile + 3);
    std::vector<typename SimdNet::output_type> got, want, batch(inputs.size());
    for (const auto& x : inputs) {
        got.push_back(simd->forward(x));
        want.push_back(scalar->forward(x));
    }
    check_close("one sample", got, want);
    simd->forward(inputs, batch);
    check_close("batch", batch, want);
}

}  // namespace ctnn_test
