#pragma once

/// @file
/// The values a quantized network (ctnn::QuantizedNetwork<Net, Requantizer>) must hold to be written and read: one
/// check, shared by io::load (ctnn/io/quantized_weights.hpp), which refuses a file holding other values, and by
/// io::save and io::export_header (ctnn/io/export.hpp), which refuse such a network rather than write what load would
/// refuse or what QuantizedNetwork's constructor does not accept. Hosted only.
///
/// Valid, in the order the check reports the first problem (the order of a weights file):
/// - the input's qparams, then per layer its linear and its output qparams: scale positive and finite, zero point in
///   0 .. 255;
/// - per layer, its output qparams the activation's: Tanh's (2/256, 128) and Sigmoid's (1/256, 0), otherwise the
///   linear qparams;
/// - per unit, where its weight scale s_w is known (a network with FloatRequantizer keeps it; a version-1 file holds
///   it): s_w positive and finite, and the multiplier bit for bit Requantizer::multiplier(s_in, s_w, s_linear), s_in
///   the layer's input scale (the previous layer's output scale, or the input's);
/// - per unit where it is not (FixedPointRequantizer): the multiplier one FixedPointRequantizer::multiplier can give,
///   q 0 with shift 0, or q in 2^30 .. 2^31 - 1 with shift in -31 .. 30.
///
/// Biases, weights and tables take any value. ctnn::quantize gives valid networks; a default-constructed one is valid
/// only where none of its layers has a weight scale (those are 0) or a fixed output quantization (Tanh, Sigmoid).

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/quantized_parameters.hpp: not available in freestanding builds"
#endif

#include "ctnn/detail/static_for.hpp"
#include "ctnn/io/signature.hpp"
#include "ctnn/io/weights.hpp"
#include "ctnn/quantized_network.hpp"

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctnn::io::detail {

/// A multiplier as a message shows it.
inline std::string multiplier_text(float m) {
    return cpp_literal(m);
}
inline std::string multiplier_text(const FixedPointRequantizer::multiplier_type& m) {
    std::string text = "(";  // appended: see export.hpp's qparams_literal
    text += std::to_string(m.multiplier) + ", shift " + std::to_string(m.shift) + ")";
    return text;
}

inline bool same_multiplier(float a, float b) noexcept {
    return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}
inline bool same_multiplier(const FixedPointRequantizer::multiplier_type& a,
                            const FixedPointRequantizer::multiplier_type& b) noexcept {
    return a == b;
}

/// Why `scale` cannot be a scale (empty when it can): it must be positive and finite.
inline std::string scale_problem(float scale) {
    if (std::isfinite(scale) && scale > 0.0f) return {};
    return "is " + (std::isnan(scale) ? std::string("NaN") : cpp_literal(scale)) + ", not a positive finite number";
}

/// Why `q` cannot be qparams (empty when it can), after `what` ("the input's", "layer 2's linear"): its scale positive
/// and finite, its zero point in 0 .. 255.
inline std::string qparams_problem(const QuantizationParams& q, std::string_view what) {
    if (std::string problem = scale_problem(q.scale); !problem.empty()) {
        return std::string(what) + " scale " + problem;
    }
    if (q.zero_point < 0 || q.zero_point > 255) {
        return std::string(what) + " zero point is " + std::to_string(q.zero_point) + ", outside 0 .. 255";
    }
    return {};
}

/// Why `m` is no multiplier FixedPointRequantizer::multiplier gives (empty when it is one), as a clause after "is
/// (q, shift s)": q is 0 with shift 0 (the multiplier below 2^-31), or in 2^30 .. 2^31 - 1 with shift in -31 .. 30.
/// What a unit whose weight scale is unknown (a file of format version 2) is checked by.
inline std::string multiplier_range_problem(const FixedPointRequantizer::multiplier_type& m) {
    if (m.multiplier == 0) return m.shift == 0 ? std::string() : ", but a zero multiplier has shift 0";
    if (m.multiplier < (std::int32_t{1} << 30)) return ", but its Q0.31 fraction q is not 0 or in 2^30 .. 2^31 - 1";
    if (m.shift < -31 || m.shift > 30) return ", but its shift is outside -31 .. 30";
    return {};
}

/// The first value of `net` that a quantized network cannot hold (the file comment's rules, in its order), as a clause
/// for a message, e.g. "layer 1's unit 3's weight scale is 0.0f, not a positive finite number"; empty when every value
/// is valid. `weight_scale(i, o)` (i a std::integral_constant) gives layer i's unit o's weight scale as an
/// std::optional<float>: a value where it is known (what its multiplier is checked against), std::nullopt where not
/// (then the multiplier is checked by its range; only for a requantizer that keeps no weight scales).
template <QuantizedNetworkType Q, class WeightScale>
[[nodiscard]] std::string quantized_parameter_problem(const Q& net, WeightScale&& weight_scale) {
    using R = typename Q::requantizer_type;
    std::string problem = qparams_problem(net.input_qparams(), "the input's");
    float input_scale = net.input_qparams().scale;
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        const auto& layer = net.template layer<i>();
        if (!problem.empty()) return;
        const std::string where = "layer " + std::to_string(i + 1) + "'s ";
        problem = qparams_problem(layer.linear_qparams, where + "linear");
        if (problem.empty()) problem = qparams_problem(layer.output_qparams, where + "output");
        QuantizationParams expected_output = layer.linear_qparams;
        if constexpr (L::has_lookup_table) {
            expected_output = ctnn::detail::fixed_output_qparams<typename L::activation>();
        }
        if (problem.empty() && !(layer.output_qparams == expected_output)) {
            problem = where + "output qparams are (" + cpp_literal(layer.output_qparams.scale) + ", " +
                      std::to_string(layer.output_qparams.zero_point) + "), not its activation's (" +
                      cpp_literal(expected_output.scale) + ", " + std::to_string(expected_output.zero_point) + ")";
        }
        for (std::size_t o = 0; o < L::output_size && problem.empty(); ++o) {
            const std::string unit = where + "unit " + std::to_string(o + 1) + "'s ";
            const auto& m = layer.multipliers[o];
            if (const std::optional<float> scale = weight_scale(i, o)) {
                problem = scale_problem(*scale);
                if (!problem.empty()) {
                    problem = unit + "weight scale " + problem;
                    break;
                }
                const auto expected = R::multiplier(input_scale, *scale, layer.linear_qparams.scale);
                if (!same_multiplier(m, expected)) {
                    problem = unit + "multiplier is " + multiplier_text(m) + ", but its scales give " +
                              multiplier_text(expected);
                }
            } else if constexpr (!L::has_weight_scales) {  // a network that keeps its scales always knows them
                if (std::string range = multiplier_range_problem(m); !range.empty()) {
                    problem = unit + "multiplier is " + multiplier_text(m) + range;
                }
            }
        }
        input_scale = layer.output_qparams.scale;
    });
    return problem;
}

/// quantized_parameter_problem with the weight scales `net` keeps (none with FixedPointRequantizer).
template <QuantizedNetworkType Q>
[[nodiscard]] std::string quantized_parameter_problem(const Q& net) {
    return quantized_parameter_problem(net, [&](auto i, std::size_t o) -> std::optional<float> {
        if constexpr (Q::template layer_type<i>::has_weight_scales) {
            return net.template layer<i>().weight_scales[o];
        } else {
            return std::nullopt;
        }
    });
}

/// For save() and export_header(): ok when every value of `net` is valid; otherwise invalid_parameter, with the
/// message `refusal` (e.g. "cannot write q.ctnn"), ": the network holds an invalid parameter: " and the problem (the
/// clause load() gives after "<file> holds an invalid parameter: ").
template <QuantizedNetworkType Q>
[[nodiscard]] Status check_quantized_parameters(const Q& net, std::string_view refusal) {
    std::string problem = quantized_parameter_problem(net);
    if (problem.empty()) return {};
    return Status(Status::Kind::invalid_parameter,
                  std::string(refusal) + ": the network holds an invalid parameter: " + problem);
}

}  // namespace ctnn::io::detail
