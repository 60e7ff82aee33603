#pragma once

/// @file
/// ctnn::io::save and ctnn::io::load for a network of 16-bit floating-point weights (ctnn::BFloat16Network<Net>,
/// ctnn::Float16Network<Net>): every parameter, bit for bit, in a weights file of the same format as a float network's
/// (ctnn/io/weights.hpp: magic "CTNN\0WTS", format version 1, little-endian, CRC-32), checked against the network's
/// type on loading. Hosted only.
///
/// The header differs from a float network's file in three fields: the scalar type is the format's code
/// (io::Weights16Format: 0x12 for bfloat16, 0x02 for IEEE 754 binary16), the topology text is the network's
/// (ctnn/io/signature.hpp): "bfloat16;float;2;16:tanh;16:tanh;1:sigmoid" or "float16;float;2;16:tanh;1:sigmoid", and
/// the count field P is the number of bytes of parameters that follow, in Net's canonical order (PyTorch's
/// nn.Sequential state_dict order), all little-endian:
///
///     per layer, in order:
///       weight                      Out x In x u16, [out][in] row-major: each weight's 16-bit pattern
///       bias                        Out x f32 (IEEE 754 binary32)
///       PReLU slopes                Out x f32, PReLU layers only
///
/// so P = 2 x weight_count + 4 x float_parameter_count. Every 16-bit pattern is a value of the format (NaNs,
/// infinities and binary16's subnormals included) and every float is a bias or slope the network holds, so the values
/// need no check beyond the file's: a file is accepted when all of it agrees with the network (magic, version, scalar
/// type, topology text, count, length, checksum), and loading it sets the parameters bit for bit. A float network's
/// file is refused (scalar_type_mismatch: loading would have to round its weights), and so is a file of the other
/// 16-bit format (bfloat16 and binary16 each hold values the other does not) and a 16-bit file for a float network;
/// the message says how to convert in each case. A failed load leaves the network untouched.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/weights16.hpp: not available in freestanding builds"
#endif

#include "ctnn/detail/static_for.hpp"
#include "ctnn/io/signature.hpp"
#include "ctnn/io/weights.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctnn::io {

namespace detail {

/// The count field of a file for the network `N` of 16-bit weights: the bytes of its parameters.
template <Weights16NetworkType N>
inline constexpr std::uint64_t weights16_payload_bytes = 2 * N::weight_count + 4 * N::float_parameter_count;

template <Weights16NetworkType N>
[[nodiscard]] weights_layout weights_layout_of() {
    return {Weights16Spelling<N>::format.scalar_code,
            signature<N>(),
            short_cpp_type(cpp_type<N>()),
            topology<typename N::network_type>(),
            {},
            weights16_payload_bytes<N>,
            "bytes of parameters",
            &Weights16Spelling<N>::format};
}

/// Calls `f(weights, others)` for each layer of `N`, in order: how many of its canonical parameters are weights, and
/// how many are float (its bias and slopes).
template <Weights16NetworkType N, class F>
void for_each_weights16_layer(F&& f) {
    ctnn::detail::static_for<N::layer_count>([&](auto i) {
        using L = typename N::layers::template at<i>;
        f(L::input_size * L::output_size, L::parameter_count - L::input_size * L::output_size);
    });
}

/// Checks a weights file against `N` and, when it is for `N`, writes its parameters to `net`; otherwise leaves
/// `net` as it was.
template <Weights16NetworkType N>
Status decode_weights16(N& net, const weights_source& source) {
    const weights_layout layout = weights_layout_of<N>();
    if (Status status = check_weights(source, layout); !status) return status;

    std::vector<std::uint16_t> weights(N::weight_count);
    std::vector<float> others(N::float_parameter_count);
    std::size_t at = 28 + layout.text.size(), w = 0, o = 0;
    for_each_weights16_layer<N>([&](std::size_t weight_count, std::size_t other_count) {
        for (std::size_t k = 0; k < weight_count; ++k, ++w, at += 2) {
            weights[w] = read_little_endian<std::uint16_t>(source.prefix, at);
        }
        for (std::size_t k = 0; k < other_count; ++k, ++o, at += 4) {
            others[o] = std::bit_cast<float>(read_little_endian<std::uint32_t>(source.prefix, at));
        }
    });
    net.write_parameters(std::span<const std::uint16_t, N::weight_count>(weights.data(), N::weight_count),
                         std::span<const float, N::float_parameter_count>(others.data(), N::float_parameter_count));
    return {};
}

}  // namespace detail

/// The bytes of a weights file for the network `net` of 16-bit weights (the layout above).
template <Weights16NetworkType N>
[[nodiscard]] std::vector<std::byte> to_weights_bytes(const N& net) {
    const std::string text = signature<N>();
    std::vector<std::uint16_t> weights(N::weight_count);
    std::vector<float> others(N::float_parameter_count);
    net.read_parameters(std::span<std::uint16_t, N::weight_count>(weights.data(), N::weight_count),
                        std::span<float, N::float_parameter_count>(others.data(), N::float_parameter_count));
    std::vector<std::byte> out;
    out.reserve(static_cast<std::size_t>(28 + text.size() + detail::weights16_payload_bytes<N> + 4));
    detail::append_weights_header(out, Weights16Spelling<N>::format.scalar_code, text,
                                  detail::weights16_payload_bytes<N>);
    std::size_t w = 0, o = 0;
    detail::for_each_weights16_layer<N>([&](std::size_t weight_count, std::size_t other_count) {
        for (std::size_t k = 0; k < weight_count; ++k) detail::append_little_endian(out, weights[w++]);
        for (std::size_t k = 0; k < other_count; ++k) {
            detail::append_little_endian(out, std::bit_cast<std::uint32_t>(others[o++]));
        }
    });
    detail::append_little_endian(out, detail::crc32(out));
    return out;
}

/// Reads a weights file held in memory into the network `net` of 16-bit weights, as load() does; `name` names it in
/// messages. On any failure `net` is unchanged.
template <Weights16NetworkType N>
Status from_weights_bytes(N& net, std::span<const std::byte> bytes, std::string_view name = "the buffer") {
    return detail::decode_weights16(net, detail::memory_weights_source(bytes, name));
}

/// Saves every parameter of the network `net` of 16-bit weights to the weights file `path`, replacing any file there,
/// as save() of a float network does (a temporary file, then a rename).
/// Returns: ok, write_failed or invalid_argument (an empty path).
template <Weights16NetworkType N>
Status save(const N& net, const std::filesystem::path& path) {
    const std::vector<std::byte> bytes = to_weights_bytes(net);
    return detail::write_file_atomically(path, bytes, "the weights file");
}

/// Loads the weights file `path` into the network `net` of 16-bit weights. The file must have been saved from a
/// network of the same format and float topology.
///
/// Ensures: on success, `net`'s parameters are the file's, bit for bit; on failure `net` is unchanged and the Status
/// says why, as for a float network: file_not_found, unreadable, not_a_weights_file, unsupported_version,
/// scalar_type_mismatch (a float or double network's file, a quantized one, another 16-bit format's),
/// topology_mismatch, parameter_count_mismatch, truncated, checksum_mismatch.
template <Weights16NetworkType N>
Status load(N& net, const std::filesystem::path& path) {
    return detail::load_weights_file(
        path, detail::weights_layout_of<N>().file_size(),
        [&](const detail::weights_source& source) { return detail::decode_weights16(net, source); });
}

}  // namespace ctnn::io
