#pragma once

// A writer of quantized networks' weights files in format version 1, the layout with weight scales
// (include/ctnn/io/quantized_weights.hpp), written here byte by byte from that layout rather than by ctnn's writer: the
// files a network with FixedPointRequantizer, which keeps no scales and saves version 2, must still load. For a
// network that keeps its scales (FloatRequantizer) it gives what io::to_weights_bytes gives, which checks this writer.

#include <ctnn/detail/static_for.hpp>
#include <ctnn/io/signature.hpp>
#include <ctnn/io/weights.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ctnn_test {

/// The bytes of a version-1 weights file of the quantized network `q`, unit o of layer i with the weight scale
/// `scale_of(std::integral_constant<std::size_t, i>, o)` (for a network that keeps no scales: those its multipliers
/// were computed from, so that the file loads).
template <ctnn::io::QuantizedNetworkType Q, class ScaleOf>
std::vector<std::byte> version_1_weights_bytes(const Q& q, ScaleOf scale_of) {
    std::vector<std::byte> payload;
    const auto u32 = [](std::vector<std::byte>& out, std::uint32_t v) {
        for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::byte>((v >> (8 * k)) & 0xFFu));
    };
    const auto i32 = [&](std::int32_t v) { u32(payload, static_cast<std::uint32_t>(v)); };
    const auto f32 = [&](float v) { u32(payload, std::bit_cast<std::uint32_t>(v)); };
    const auto qparams = [&](const ctnn::QuantizationParams& p) {
        f32(p.scale);
        i32(p.zero_point);
    };
    qparams(q.input_qparams());
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        const auto& layer = q.template layer<i>();
        qparams(layer.linear_qparams);
        qparams(layer.output_qparams);
        for (std::size_t o = 0; o < L::output_size; ++o) f32(scale_of(i, o));
        for (std::int32_t b : layer.bias) i32(b);
        for (const auto& m : layer.multipliers) {
            if constexpr (std::is_same_v<std::remove_cvref_t<decltype(m)>, float>) {
                f32(m);
            } else {
                i32(m.multiplier);
                i32(m.shift);
            }
        }
        for (std::size_t o = 0; o < L::output_size; ++o) {
            for (std::size_t k = 0; k < L::input_size; ++k) {
                payload.push_back(static_cast<std::byte>(layer.weights(o, k)));
            }
        }
        if constexpr (L::has_lookup_table) {
            for (std::uint8_t t : layer.lookup_table) payload.push_back(static_cast<std::byte>(t));
        }
    });

    const std::string text = ctnn::io::signature<Q>();
    std::vector<std::byte> bytes;
    for (char c : std::string_view("CTNN\0WTS", 8)) bytes.push_back(static_cast<std::byte>(c));
    u32(bytes, 1);  // format version 1
    u32(bytes, 1);  // scalar type 1 (quantized), three reserved zero bytes
    u32(bytes, static_cast<std::uint32_t>(text.size()));
    for (char c : text) bytes.push_back(static_cast<std::byte>(c));
    u32(bytes, static_cast<std::uint32_t>(payload.size()));  // the count, u64: bytes of parameters
    u32(bytes, 0);
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    u32(bytes, ctnn::io::detail::crc32(bytes));
    return bytes;
}

}  // namespace ctnn_test
