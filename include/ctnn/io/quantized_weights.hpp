#pragma once

/// @file
/// ctnn::io::save and ctnn::io::load for a quantized network (ctnn::QuantizedNetwork<Net, Requantizer>): every
/// parameter, bit for bit, in a weights file of the same format as a float network's (ctnn/io/weights.hpp: magic
/// "CTNN\0WTS", little-endian, CRC-32), checked against the network's type and values on loading. Hosted only.
///
/// The header differs from a float network's file in two fields: the scalar type is 1 (int8, quantized), and the
/// topology text is the quantized network's (ctnn/io/signature.hpp):
/// "quantized(float);float;2;16:tanh;16:tanh;1:sigmoid" (requantizer `float` or `fixed_point`). Its format version
/// says whether the file holds weight scales: version 1 does, version 2 does not. save() writes what the network
/// keeps (requantizer_keeps_weight_scales): version 1 with FloatRequantizer, version 2 with FixedPointRequantizer.
/// The count field P is the number of bytes of parameters that follow, all little-endian (f32: binary32; i32: two's
/// complement):
///
///     the input's qparams           scale f32, zero point i32
///     per layer, in order:
///       linear qparams              scale f32, zero point i32 (the Linear's output; with ReLU, after it)
///       output qparams              scale f32, zero point i32 (Tanh, Sigmoid: their fixed ones; else the linear's)
///       weight scales               Out x f32, one per output unit; version 1 only
///       biases                      Out x i32 (the input's zero point folded in, as QuantizedNetwork keeps them)
///       multipliers                 Out x f32 (FloatRequantizer), or Out x (multiplier i32, shift i32)
///                                   (FixedPointRequantizer)
///       weights                     Out x In x i8, output-major, without the rows' padding
///       table                       256 x u8, Tanh and Sigmoid layers only
///
/// so a layer takes 16 + Out x (4 + 4 + 4) + Out x In (+ 256) bytes with FloatRequantizer (version 1) and
/// 16 + Out x (4 + 8) + Out x In (+ 256) with FixedPointRequantizer (version 2; version 1 adds 4 x Out).
///
/// A file is accepted only when all of it agrees with the network (as for a float network: magic, version, scalar
/// type, topology text, count, length, checksum) and every value is one the network can hold: each scale positive
/// and finite, each zero point in 0 .. 255, each output qparams as the layer's activation fixes them, and each
/// multiplier the one Requantizer::multiplier gives for its scales (s_in, s_w[o], s_linear), where the file holds
/// s_w; in version 2, which holds none, each multiplier one FixedPointRequantizer::multiplier can give: q 0 with
/// shift 0, or q in 2^30 .. 2^31 - 1 with shift in -31 .. 30. Otherwise the Status is invalid_parameter, naming the
/// value. A network with FixedPointRequantizer reads version 1 too (its scales checked so, then dropped); one with
/// FloatRequantizer reads version 1 only (unsupported_version). A failed load leaves the network untouched.
///
/// save() checks a network's values by the same rules (one check, ctnn/io/quantized_parameters.hpp) before it writes:
/// a network whose file load() would refuse is refused with invalid_parameter, the same clause naming the same value,
/// and nothing is written.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/quantized_weights.hpp: not available in freestanding builds"
#endif

#include "ctnn/io/quantized_parameters.hpp"
#include "ctnn/io/signature.hpp"
#include "ctnn/io/weights.hpp"
#include "ctnn/quantized_network.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ctnn::io {

namespace detail {

/// Bytes of one output unit's multiplier in a file: f32, or i32 multiplier and i32 shift.
template <class Requantizer>
inline constexpr std::size_t multiplier_bytes = std::is_same_v<typename Requantizer::multiplier_type, float> ? 4 : 8;

/// The format version save() writes for a quantized network with `Requantizer`: 1 with weight scales, 2 without.
template <class Requantizer>
inline constexpr std::uint32_t quantized_format_version = requantizer_keeps_weight_scales<Requantizer> ? 1 : 2;

/// Whether a quantized network's file of format `version` holds weight scales.
[[nodiscard]] constexpr bool file_has_weight_scales(std::uint32_t version) noexcept {
    return version == 1;
}

/// The count field of a quantized network's file of format `version`: the bytes of its parameters (see the file
/// comment).
template <QuantizedNetworkType Q>
[[nodiscard]] constexpr std::uint64_t quantized_payload_bytes(
    std::uint32_t version = quantized_format_version<typename Q::requantizer_type>) noexcept {
    // Per unit: the bias, the weight scale (version 1) and the multiplier.
    const std::uint64_t unit_bytes =
        4 + (file_has_weight_scales(version) ? 4 : 0) + multiplier_bytes<typename Q::requantizer_type>;
    std::uint64_t bytes = 8;  // the input's qparams
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        bytes += 16 + L::output_size * unit_bytes + L::output_size * L::input_size + (L::has_lookup_table ? 256 : 0);
    });
    return bytes;
}

/// The layout of a file of format `version` for the quantized network `Q`: version 1, or with a requantizer that
/// keeps no weight scales also version 2 (what save() writes).
template <QuantizedNetworkType Q>
[[nodiscard]] weights_layout quantized_weights_layout(std::uint32_t version) {
    using R = typename Q::requantizer_type;
    weights_layout layout{1,
                          signature<Q>(),
                          short_cpp_type(cpp_type<Q>()),
                          topology<typename Q::network_type>(),
                          RequantizerSpelling<R>::id(),
                          quantized_payload_bytes<Q>(version),
                          "bytes of parameters"};
    layout.version = version;
    layout.oldest_version = 1;
    return layout;
}

/// The layout of the file save() writes for `Q`.
template <QuantizedNetworkType Q>
[[nodiscard]] weights_layout weights_layout_of() {
    return quantized_weights_layout<Q>(quantized_format_version<typename Q::requantizer_type>);
}

/// The layout to check a file of format `version` against: its own when `Q` reads that version, otherwise the one
/// save() writes (whose version check then refuses it).
template <QuantizedNetworkType Q>
[[nodiscard]] weights_layout quantized_layout_for_file(std::uint32_t version) {
    constexpr std::uint32_t newest = quantized_format_version<typename Q::requantizer_type>;
    return quantized_weights_layout<Q>(version >= 1 && version <= newest ? version : newest);
}

/// The format version of the weights file `source` when its magic and version can be read, else 0.
[[nodiscard]] inline std::uint32_t weights_file_version(const weights_source& source) noexcept {
    const std::span<const std::byte> bytes = source.prefix;
    if (bytes.size() < 12 || !std::equal(weights_magic.begin(), weights_magic.end(), bytes.begin())) return 0;
    return read_little_endian<std::uint32_t>(bytes, 8);
}

/// The most bytes load() must keep of a file for `Q`: its largest layout's (version 1 holds weight scales).
template <QuantizedNetworkType Q>
[[nodiscard]] std::uint64_t largest_quantized_file_size() {
    return quantized_weights_layout<Q>(1).file_size();
}

/// Writes the parameters of a quantized network, in the file's order.
class quantized_writer {
public:
    explicit quantized_writer(std::vector<std::byte>& out) : out_(out) {}
    void f32(float v) { append_little_endian(out_, std::bit_cast<std::uint32_t>(v)); }
    void i32(std::int32_t v) { append_little_endian(out_, static_cast<std::uint32_t>(v)); }
    void u8(std::uint8_t v) { out_.push_back(static_cast<std::byte>(v)); }
    void qparams(const QuantizationParams& q) {
        f32(q.scale);
        i32(q.zero_point);
    }
    void multiplier(float m) { f32(m); }
    void multiplier(const FixedPointRequantizer::multiplier_type& m) {
        i32(m.multiplier);
        i32(m.shift);
    }

private:
    std::vector<std::byte>& out_;
};

/// Reads the parameters of a quantized network in the file's order; the caller checked the length.
class quantized_reader {
public:
    quantized_reader(std::span<const std::byte> bytes, std::size_t at) : bytes_(bytes), at_(at) {}
    float f32() { return std::bit_cast<float>(next<std::uint32_t>()); }
    std::int32_t i32() { return static_cast<std::int32_t>(next<std::uint32_t>()); }
    std::uint8_t u8() { return std::to_integer<std::uint8_t>(bytes_[at_++]); }
    QuantizationParams qparams() {
        const float scale = f32();
        return {scale, i32()};
    }
    void multiplier(float& m) { m = f32(); }
    void multiplier(FixedPointRequantizer::multiplier_type& m) {
        m.multiplier = i32();
        m.shift = i32();
    }

private:
    template <class U>
    U next() {
        const U value = read_little_endian<U>(bytes_, at_);
        at_ += sizeof(U);
        return value;
    }
    std::span<const std::byte> bytes_;
    std::size_t at_;
};

/// Checks a weights file against the quantized network `Q` and, when it is for `Q` and every value is valid, writes
/// its parameters to `net`; otherwise leaves `net` as it was. A file of an older version than save() writes is
/// checked against that version's layout.
template <QuantizedNetworkType Q>
Status decode_quantized_weights(Q& net, const weights_source& source) {
    const weights_layout layout = quantized_layout_for_file<Q>(weights_file_version(source));
    if (Status status = check_weights(source, layout); !status) return status;
    const bool has_scales = file_has_weight_scales(layout.version);

    // Decoded into a copy on the heap (a large network does not belong on the stack), checked, then copied into `net`.
    auto staged = std::make_unique<Q>();
    quantized_reader in(source.prefix, 28 + layout.text.size());
    staged->input_qparams() = in.qparams();
    // The file's weight scales, where it holds them: layer i's from i x max_units, room made once (GCC 12 at -O2 warned
    // of an overflow, a false positive, in a vector assigned each layer's count). A network that keeps its scales
    // takes them; one that does not has them checked against its multipliers, then drops them.
    std::vector<float> scales(has_scales ? Q::layer_count * Q::max_units : 0);
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        auto& layer = staged->template layer<i>();
        layer.linear_qparams = in.qparams();
        layer.output_qparams = in.qparams();
        if (has_scales) {
            for (std::size_t o = 0; o < L::output_size; ++o) scales[i * Q::max_units + o] = in.f32();
        }
        if constexpr (L::has_weight_scales) {
            const auto first = scales.begin() + static_cast<std::ptrdiff_t>(i * Q::max_units);
            std::copy(first, first + L::output_size, layer.weight_scales.begin());
        }
        for (auto& b : layer.bias) b = in.i32();
        for (auto& m : layer.multipliers) in.multiplier(m);
        for (std::size_t o = 0; o < L::output_size; ++o) {
            for (std::size_t k = 0; k < L::input_size; ++k) {
                layer.weights.set(o, k, static_cast<std::int8_t>(in.u8()));
            }
        }
        if constexpr (L::has_lookup_table) {
            for (auto& t : layer.lookup_table) t = in.u8();
        }
    });
    const std::string problem =
        quantized_parameter_problem(*staged, [&](auto i, std::size_t o) -> std::optional<float> {
            if (!has_scales) return std::nullopt;
            return scales[i * Q::max_units + o];
        });
    if (!problem.empty()) {
        return Status(Status::Kind::invalid_parameter, source.name + " holds an invalid parameter: " + problem);
    }
    net = *staged;
    return {};
}

}  // namespace detail

/// The bytes of a weights file for the quantized network `net` (the layout above): format version 1 with weight
/// scales (FloatRequantizer), 2 without (FixedPointRequantizer).
///
/// Writes every value as it is, unchecked: for a network whose values are not valid (ctnn/io/quantized_parameters.hpp;
/// save() refuses it with invalid_parameter) these are bytes that from_weights_bytes and load() refuse.
template <QuantizedNetworkType Q>
[[nodiscard]] std::vector<std::byte> to_weights_bytes(const Q& net) {
    constexpr std::uint32_t version = detail::quantized_format_version<typename Q::requantizer_type>;
    const std::string text = signature<Q>();
    std::vector<std::byte> out;
    out.reserve(static_cast<std::size_t>(28 + text.size() + detail::quantized_payload_bytes<Q>() + 4));
    detail::append_weights_header(out, 1, text, detail::quantized_payload_bytes<Q>(), version);
    detail::quantized_writer w(out);
    w.qparams(net.input_qparams());
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        const auto& layer = net.template layer<i>();
        w.qparams(layer.linear_qparams);
        w.qparams(layer.output_qparams);
        if constexpr (L::has_weight_scales) {
            for (float s : layer.weight_scales) w.f32(s);
        }
        for (std::int32_t b : layer.bias) w.i32(b);
        for (const auto& m : layer.multipliers) w.multiplier(m);
        for (std::size_t o = 0; o < L::output_size; ++o) {
            for (std::size_t k = 0; k < L::input_size; ++k) {
                w.u8(static_cast<std::uint8_t>(layer.weights(o, k)));
            }
        }
        if constexpr (L::has_lookup_table) {
            for (std::uint8_t t : layer.lookup_table) w.u8(t);
        }
    });
    detail::append_little_endian(out, detail::crc32(out));
    return out;
}

/// Reads a quantized network's weights file held in memory into `net`, as load() does; `name` names it in messages.
/// On any failure `net` is unchanged.
template <QuantizedNetworkType Q>
Status from_weights_bytes(Q& net, std::span<const std::byte> bytes, std::string_view name = "the buffer") {
    return detail::decode_quantized_weights(net, detail::memory_weights_source(bytes, name));
}

/// Saves every parameter of the quantized network `net` to the weights file `path`, replacing any file there, as
/// save() of a float network does (a temporary file, then a rename), when load() would take the file back: every value
/// of `net` valid, as load() checks a file's (ctnn/io/quantized_parameters.hpp: scales positive and finite, zero points
/// in 0 .. 255, output qparams the activation's, multipliers the ones its scales give or, without weight scales, in
/// FixedPointRequantizer's ranges). Otherwise it writes nothing: `path` (and `path + ".tmp"`) stay as they were.
/// Returns: ok; invalid_parameter, naming the first invalid value as load() names it, e.g. "cannot write q.ctnn: the
/// network holds an invalid parameter: layer 1's unit 1's weight scale is 0.0f, not a positive finite number" (a
/// default-constructed network with FloatRequantizer whose first layer uses ReLU or Linear); write_failed; or
/// invalid_argument (an empty path).
template <QuantizedNetworkType Q>
Status save(const Q& net, const std::filesystem::path& path) {
    if (Status status = detail::check_quantized_parameters(net, "cannot write " + path.string()); !status) {
        return status;
    }
    const std::vector<std::byte> bytes = to_weights_bytes(net);
    return detail::write_file_atomically(path, bytes, "the weights file");
}

/// Loads the weights file `path` into the quantized network `net`. The file must have been saved from a quantized
/// network of the same float topology and requantizer (with FixedPointRequantizer: in format version 2, or version 1
/// with weight scales, which are checked against the multipliers and dropped).
///
/// Ensures: on success, `net`'s parameters are the file's, bit for bit (so is every quantum of its passes); on
/// failure `net` is unchanged and the Status says why: as for a float network (file_not_found, unreadable,
/// not_a_weights_file, unsupported_version (also a version 2 file for a network with FloatRequantizer),
/// scalar_type_mismatch (a float network's file), topology_mismatch (another topology or requantizer),
/// parameter_count_mismatch, truncated, checksum_mismatch), or invalid_parameter.
template <QuantizedNetworkType Q>
Status load(Q& net, const std::filesystem::path& path) {
    return detail::load_weights_file(
        path, detail::largest_quantized_file_size<Q>(),
        [&](const detail::weights_source& source) { return detail::decode_quantized_weights(net, source); });
}

}  // namespace ctnn::io
