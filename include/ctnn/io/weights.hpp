#pragma once

/// @file
/// ctnn::io::save and ctnn::io::load: a network's parameters in a versioned binary weights
/// file, checked against the network's type on loading. Hosted only.
///
/// File layout, format version 1. Every integer is little-endian whatever the host; every
/// parameter is an IEEE 754 binary32 (float) or binary64 (double), little-endian. Version 2 has the
/// same header and differs only in a quantized network's parameters (ctnn/io/quantized_weights.hpp:
/// a network whose requantizer keeps no weight scales, FixedPointRequantizer's).
///
///     offset     size  field
///     0          8     magic bytes "CTNN\0WTS" (43 54 4E 4E 00 57 54 53)
///     8          4     format version, u32 (1; 2 for a quantized network with
///                      FixedPointRequantizer)
///     12         1     scalar type, u8: 4 = float, 8 = double (the size of one parameter); 1 = a
///                      quantized network (ctnn/io/quantized_weights.hpp: P counts bytes); 0x12 =
///                      bfloat16 weights, 0x02 = IEEE 754 binary16 (float16) weights
///                      (ctnn/io/weights16.hpp: P counts bytes; io::Weights16Format)
///     13         3     reserved, zero
///     16         4     topology text length L, u32
///     20         L     topology text, ASCII, no terminator (ctnn/io/signature.hpp):
///                      "float;2;16:tanh;16:tanh;1:sigmoid"
///     20+L       8     parameter count P, u64
///     28+L       P*S   the parameters in the canonical order (PyTorch's nn.Sequential
///                      state_dict order; S = 4 or 8)
///     28+L+P*S   4     CRC-32 of every byte before it, u32 (IEEE 802.3: reflected polynomial
///                      0xEDB88320, initial value and final XOR 0xFFFFFFFF; zlib's crc32)
///
/// A file is accepted only when all of it agrees with the network: magic, version (1; a quantized
/// network with FixedPointRequantizer reads 2 and 1), scalar type, topology text, parameter count,
/// length and checksum.
/// A failed load leaves the network untouched: the parameters are decoded into a buffer first.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/weights.hpp: not available in freestanding builds"
#endif

#include "ctnn/io/signature.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn::io {

/// The outcome of save(), load() or export_header(): ok, or what went wrong, with a
/// message for a person. Test it in a boolean context: `if (auto s = io::load(net, p); !s) ...`.
class [[nodiscard]] Status {
public:
    enum class Kind {
        ok,                        ///< it worked
        file_not_found,            ///< the file does not exist
        unreadable,                ///< the file exists but cannot be opened or read (a directory, no permission)
        not_a_weights_file,        ///< no "CTNN\0WTS" magic, or a malformed header
        unsupported_version,       ///< a format version this ctnn does not read
        scalar_type_mismatch,      ///< saved from a network of another scalar type (float / double)
        topology_mismatch,         ///< saved from a network of another topology (sizes, activations, ratios)
        parameter_count_mismatch,  ///< the topology matches but the parameter count does not
        truncated,                 ///< the file ends before the checksum
        checksum_mismatch,         ///< the content does not match its CRC-32: the file is corrupted
        write_failed,              ///< the file (or its temporary) could not be written or renamed
        invalid_argument,          ///< an argument is unusable (an empty path, a namespace that is no C++ name)
        invalid_parameter,         ///< an intact file of the right topology holds a value the network cannot take
                                   ///< (a quantized network's scale <= 0 or not finite, zero point outside 0 .. 255,
                                   ///< multiplier that is not its scales'), or a quantized network given to save()
                                   ///< or export_header() holds one (nothing is written)
    };

    /// Success.
    Status() = default;
    /// A failure of the given kind. Requires: kind != Kind::ok.
    Status(Kind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

    [[nodiscard]] Kind kind() const noexcept { return kind_; }
    [[nodiscard]] bool ok() const noexcept { return kind_ == Kind::ok; }
    /// True on success.
    explicit operator bool() const noexcept { return ok(); }

    /// One sentence for a person: "ok", or what failed and why, naming the file, e.g.
    /// `weights.ctnn was saved for ctnn::Network<double, Input<2>, Dense<8, Tanh>, Dense<1, Sigmoid>>,
    /// not ctnn::Network<float, Input<2>, Dense<8, Tanh>, Dense<1, Sigmoid>>`.
    [[nodiscard]] std::string message() const { return ok() ? std::string("ok") : message_; }

private:
    Kind kind_ = Kind::ok;
    std::string message_;
};

/// The name of a Status::Kind, e.g. "checksum_mismatch".
[[nodiscard]] constexpr std::string_view to_string(Status::Kind kind) noexcept {
    switch (kind) {
        case Status::Kind::ok:
            return "ok";
        case Status::Kind::file_not_found:
            return "file_not_found";
        case Status::Kind::unreadable:
            return "unreadable";
        case Status::Kind::not_a_weights_file:
            return "not_a_weights_file";
        case Status::Kind::unsupported_version:
            return "unsupported_version";
        case Status::Kind::scalar_type_mismatch:
            return "scalar_type_mismatch";
        case Status::Kind::topology_mismatch:
            return "topology_mismatch";
        case Status::Kind::parameter_count_mismatch:
            return "parameter_count_mismatch";
        case Status::Kind::truncated:
            return "truncated";
        case Status::Kind::checksum_mismatch:
            return "checksum_mismatch";
        case Status::Kind::write_failed:
            return "write_failed";
        case Status::Kind::invalid_argument:
            return "invalid_argument";
        case Status::Kind::invalid_parameter:
            return "invalid_parameter";
    }
    return "unknown";
}

/// The format version save() writes and load() reads for every network but a quantized one whose requantizer keeps
/// no weight scales (ctnn/io/quantized_weights.hpp: version 2, and version 1 still read).
inline constexpr std::uint32_t weights_format_version = 1;

/// The first 8 bytes of every weights file: "CTNN\0WTS".
inline constexpr std::array<std::byte, 8> weights_magic = {
    std::byte{'C'}, std::byte{'T'}, std::byte{'N'}, std::byte{'N'},
    std::byte{0},   std::byte{'W'}, std::byte{'T'}, std::byte{'S'},
};

namespace detail {

/// The CRC-32 of IEEE 802.3 / zlib, one byte at a time from a 256-entry table.
class crc32_accumulator {
public:
    constexpr void update(std::byte b) noexcept {
        state_ = table[(state_ ^ std::to_integer<std::uint32_t>(b)) & 0xFFu] ^ (state_ >> 8);
    }
    constexpr void update(std::span<const std::byte> bytes) noexcept {
        for (std::byte b : bytes) update(b);
    }
    [[nodiscard]] constexpr std::uint32_t value() const noexcept { return state_ ^ 0xFFFFFFFFu; }

private:
    static constexpr std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t state_ = 0xFFFFFFFFu;
};

/// The CRC-32 of `bytes` (zlib.crc32 in Python).
[[nodiscard]] constexpr std::uint32_t crc32(std::span<const std::byte> bytes) noexcept {
    crc32_accumulator crc;
    crc.update(bytes);
    return crc.value();
}

template <class U>
void append_little_endian(std::vector<std::byte>& out, U value) {
    for (std::size_t k = 0; k < sizeof(U); ++k) out.push_back(static_cast<std::byte>((value >> (8 * k)) & 0xFFu));
}

template <class U>
[[nodiscard]] U read_little_endian(std::span<const std::byte> bytes, std::size_t at) noexcept {
    U value = 0;
    for (std::size_t k = 0; k < sizeof(U); ++k) value |= static_cast<U>(std::to_integer<U>(bytes[at + k]) << (8 * k));
    return value;
}

/// The unsigned integer with the bits of a float / double.
template <class T>
using weights_bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
inline constexpr bool is_weights_scalar = (std::is_same_v<T, float> ||
                                           std::is_same_v<T, double>)&&std::numeric_limits<T>::is_iec559;

/// `value` as a C++ literal of type T that reads back bit for bit: the shortest round-trip
/// decimal (with an `f` suffix for float), or a std::bit_cast for NaN and infinities. What
/// export_header writes, and how messages show a value.
template <class T>
std::string cpp_literal(T value) {
    using U = weights_bits_t<T>;
    constexpr bool is_float = std::is_same_v<T, float>;
    if (!std::isfinite(value)) {
        return std::string("std::bit_cast<") + (is_float ? "float>(std::uint32_t{" : "double>(std::uint64_t{") +
               std::to_string(std::bit_cast<U>(value)) + "u})";
    }
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    std::string text(buffer, result.ptr);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";  // "1" would be an int, "1f" no literal
    if (is_float) text += 'f';
    return text;
}

/// "the file 'x'" style name for messages: the path as given.
inline std::string weights_display_name(const std::filesystem::path& path) {
    return path.string();
}

inline std::string scalar_code_name(unsigned code) {
    for (const Weights16Format& format : weights16_formats) {
        if (code == format.scalar_code) return std::string(format.id);
    }
    return code == 4   ? "float"
           : code == 8 ? "double"
           : code == 1 ? "int8 (quantized)"
                       : "an unknown scalar type (code " + std::to_string(code) + ")";
}

/// The bytes of one unit of the count field P in a file of scalar type `code`: a parameter's (float, double), or 1
/// where P counts bytes (quantized, 16-bit weights: parameters of several sizes); 0 for a code ctnn does not know.
inline std::uint64_t count_unit_bytes(unsigned code) noexcept {
    if (code == 1 || code == 4 || code == 8) return code;
    for (const Weights16Format& format : weights16_formats) {
        if (code == format.scalar_code) return 1;
    }
    return 0;
}

/// The scalar code that a topology text implies: 1 for a quantized network's, a 16-bit format's code for its
/// `<id>;...` text, 4 or 8 for `float;...` or `double;...`; 0 for other texts.
inline unsigned scalar_code_of_text(std::string_view text) {
    if (split_quantized_text(text)) return 1;
    if (const auto parts = split_weights16_text(text)) return parts->format->scalar_code;
    return text.starts_with("float;") ? 4 : text.starts_with("double;") ? 8 : 0;
}

/// "1 byte", "2 bytes".
inline std::string byte_count(std::uint64_t n) {
    return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

inline std::string hex32(std::uint32_t value) {
    constexpr char digits[] = "0123456789abcdef";
    std::string out = "0x";
    for (int shift = 28; shift >= 0; shift -= 4) out += digits[(value >> shift) & 0xFu];
    return out;
}

/// The network a topology text describes, for messages: its short C++ type, or the text
/// itself when it names an activation ctnn does not know.
inline std::string describe_topology_text(std::string_view text) {
    if (const auto topology = Topology::parse(text)) {
        if (const auto cpp = topology->cpp_type()) return short_cpp_type(*cpp);
    }
    if (const auto parts = split_quantized_text(text)) {
        const auto topology = Topology::parse(parts->network);
        const auto requantizer = requantizer_cpp_name_from_id(parts->requantizer);
        const auto cpp = topology ? topology->cpp_type() : std::nullopt;
        if (cpp && requantizer) return short_cpp_type("ctnn::QuantizedNetwork<" + *cpp + ", " + *requantizer + '>');
    }
    if (const auto parts = split_weights16_text(text)) {
        const auto topology = Topology::parse(parts->network);
        if (const auto cpp = topology ? topology->cpp_type() : std::nullopt) {
            return short_cpp_type(std::string(parts->format->cpp_template) + '<' + *cpp + '>');
        }
    }
    return "the topology \"" + std::string(text.substr(0, 200)) + (text.size() > 200 ? "...\"" : "\"");
}

/// Where two topologies first differ, as a clause for a message (empty when no clause helps). For a quantized
/// network, `expected_requantizer` is its requantizer's id; for a network of 16-bit weights, `expected_format` is its
/// format.
inline std::string topology_difference(std::string_view file_text, const Topology& expected,
                                       std::string_view expected_requantizer = {},
                                       const Weights16Format* expected_format = nullptr) {
    if (expected_format != nullptr) {
        const auto parts = split_weights16_text(file_text);
        if (!parts || parts->format->scalar_code != expected_format->scalar_code) return {};
        file_text = parts->network;
    }
    if (!expected_requantizer.empty()) {
        const auto parts = split_quantized_text(file_text);
        if (!parts) return {};
        if (parts->requantizer != expected_requantizer) {
            const auto name = requantizer_cpp_name_from_id(parts->requantizer);
            const auto wanted = requantizer_cpp_name_from_id(expected_requantizer);
            if (!name || !wanted) return {};
            // Both names start with "ctnn::", which messages leave out after the front.
            return " (it uses " + name->substr(6) + ", not " + wanted->substr(6) + ")";
        }
        file_text = parts->network;
    }
    const auto file = Topology::parse(file_text);
    if (!file) return {};
    if (file->input_size != expected.input_size) {
        return " (it has " + std::to_string(file->input_size) + " inputs, not " + std::to_string(expected.input_size) +
               ")";
    }
    const std::size_t common = std::min(file->layers.size(), expected.layers.size());
    for (std::size_t k = 0; k < common; ++k) {
        const LayerTopology& a = file->layers[k];
        const LayerTopology& b = expected.layers[k];
        const std::string layer = "layer " + std::to_string(k + 1);
        if (a.units != b.units) {
            return " (" + layer + " has " + std::to_string(a.units) + " units, not " + std::to_string(b.units) + ")";
        }
        if (a.activation != b.activation) {
            return " (" + layer + " uses " + a.activation + ", not " + b.activation + ")";
        }
    }
    if (file->layers.size() != expected.layers.size()) {
        return " (it has " + std::to_string(file->layers.size()) + " dense layers, not " +
               std::to_string(expected.layers.size()) + ")";
    }
    return {};
}

/// What load() learnt from a file or buffer: its first `prefix.size()` bytes (all of it
/// unless it is far larger than any file for the network), its real size, and whether its
/// last 4 bytes are the CRC-32 of the bytes before them.
struct weights_source {
    std::span<const std::byte> prefix;
    std::uint64_t size = 0;
    bool checksum_ok = false;
    std::uint32_t stored_checksum = 0;
    std::uint32_t computed_checksum = 0;
    std::string name;
};

/// What a weights file must hold to load into a network type: the header's fields and how messages name the type.
struct weights_layout {
    unsigned scalar_code = 4;  ///< byte 12: 4 float, 8 double, 1 a quantized network, a Weights16Format's code
    std::string text;          ///< the topology text
    std::string type;          ///< the network's C++ type, short (short_cpp_type), for messages
    Topology topology;         ///< the (float) network's topology, for messages
    std::string requantizer;   ///< a quantized network's requantizer id; empty otherwise
    std::uint64_t count = 0;   ///< the count field: parameters, or (count_unit_bytes 1) bytes of parameters
    std::string count_noun;    ///< "parameters" or "bytes of parameters"
    const Weights16Format* format = nullptr;         ///< a network of 16-bit weights' format; null otherwise
    std::uint32_t version = weights_format_version;  ///< bytes 8 to 11: the format version of a file of this layout
    /// The oldest version the network reads: it reads oldest_version .. version, each older one by its own layout
    /// (the decoder picks it by the file's version), and messages name that range.
    std::uint32_t oldest_version = weights_format_version;

    /// The size in bytes of the whole file.
    [[nodiscard]] std::uint64_t file_size() const noexcept {
        return 28 + text.size() + count * count_unit_bytes(scalar_code) + 4;
    }
};

/// Why a file of scalar type `code` and topology text `text` cannot load into the network `expected` though both are
/// the same float network, one or both with 16-bit weights, as a clause for a message: how to convert it (empty
/// otherwise). Loading never converts: a float file's weights would have to be rounded, and so would a file's of
/// another 16-bit format (binary16 and bfloat16 hold values the other does not), which a load must not do silently.
inline std::string conversion_hint(unsigned code, std::string_view text, const weights_layout& expected) {
    const auto parts = split_weights16_text(text);
    const bool file16 = parts && code == parts->format->scalar_code;
    // The float network's text of the expected one: all of it, or what follows its format's `<id>;`.
    const std::string_view expected_float =
        expected.format == nullptr ? std::string_view(expected.text)
                                   : std::string_view(expected.text).substr(expected.format->id.size() + 1);
    if (expected.format == nullptr && file16 && parts->network == expected_float) {
        const std::string network =
            short_cpp_type(std::string(parts->format->cpp_template) + '<' + expected.type + '>');
        return "; load it into " + network + " and call its to_float(), which widens each weight exactly";
    }
    if (expected.format == nullptr) return {};
    const std::string rounds = " from that network, which rounds each weight to " + std::string(expected.format->id);
    if ((code == 4 || code == 8) && text == expected_float) {
        return "; load it into " + describe_topology_text(text) + " and construct " + expected.type + rounds;
    }
    if (file16 && parts->network == expected_float) {
        return "; load it into " + describe_topology_text(text) +
               ", call its to_float(), which widens each weight exactly, and construct " + expected.type + rounds;
    }
    return {};
}

/// The layout of a weights file for `Net`.
template <class Net>
[[nodiscard]] weights_layout weights_layout_of() {
    return {sizeof(typename Net::value_type),
            signature<Net>(),
            short_cpp_type(cpp_type<Net>()),
            topology<Net>(),
            {},
            Net::parameter_count,
            "parameters"};
}

/// The size in bytes of a weights file for `Net`.
template <class Net>
[[nodiscard]] std::uint64_t weights_file_size() {
    return weights_layout_of<Net>().file_size();
}

/// Checks everything of a weights file but its parameters' values against `expected`: ok when the parameters (from
/// byte 28 + expected.text.size() on, expected.count of them) can be decoded.
inline Status check_weights(const weights_source& source, const weights_layout& expected) {
    using Kind = Status::Kind;
    const std::span<const std::byte> bytes = source.prefix;
    const std::uint64_t size = source.size;
    const std::string& name = source.name;
    const auto truncated = [&](std::string_view where) {
        return Status(Kind::truncated,
                      name + " is truncated: it ends after " + byte_count(size) + ", " + std::string(where));
    };

    // Magic and version first: they say how to read the rest.
    const std::size_t magic_seen = static_cast<std::size_t>(std::min<std::uint64_t>(size, weights_magic.size()));
    if (!std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(magic_seen), weights_magic.begin())) {
        return Status(Kind::not_a_weights_file,
                      name + " is not a ctnn weights file: it does not start with the magic bytes \"CTNN\\0WTS\"");
    }
    if (size == 0) return Status(Kind::truncated, name + " is empty");
    if (size < 8) return truncated("inside the magic bytes");
    if (size < 12) return truncated("inside the format version");
    const std::uint32_t version = read_little_endian<std::uint32_t>(bytes, 8);
    if (version != expected.version) {
        const std::string readable = expected.oldest_version == expected.version
                                         ? "version " + std::to_string(expected.version)
                                         : "versions " + std::to_string(expected.oldest_version) +
                                               (expected.version == expected.oldest_version + 1 ? " and " : " to ") +
                                               std::to_string(expected.version);
        // Only quantized networks with FixedPointRequantizer are saved as version 2: say so to the others.
        const bool fixed_point_file = version == 2 && expected.version < 2;
        return Status(
            Kind::unsupported_version,
            name + " has format version " + std::to_string(version) + "; this ctnn reads " + readable + " only for " +
                expected.type +
                (fixed_point_file ? " (version 2 holds quantized networks with FixedPointRequantizer: load it into one)"
                                  : ""));
    }
    if (size < 20) return truncated("inside the header");

    const unsigned scalar_code = std::to_integer<unsigned>(bytes[12]);
    const bool reserved_zero = bytes[13] == std::byte{0} && bytes[14] == std::byte{0} && bytes[15] == std::byte{0};
    const std::uint64_t text_length = read_little_endian<std::uint32_t>(bytes, 16);
    const std::uint64_t header_size = 20 + text_length + 8;
    if (size < header_size) return truncated("inside the topology text or the parameter count");
    const std::string& expected_type = expected.type;
    if (header_size > bytes.size()) {
        // A topology text far longer than ours (load() reads only so much): another network.
        return source.checksum_ok ? Status(Kind::topology_mismatch,
                                           name + " was saved for a network whose topology text is " +
                                               std::to_string(text_length) + " bytes long, not " + expected_type)
                                  : Status(Kind::checksum_mismatch, name + " is corrupted: its header is not valid");
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes.data() + 20),
                                static_cast<std::size_t>(text_length));
    const std::uint64_t count = read_little_endian<std::uint64_t>(bytes, static_cast<std::size_t>(20 + text_length));
    const std::uint64_t scalar_size = count_unit_bytes(scalar_code);
    // The size the header promises; "more than any size" when the count is absurd.
    const std::uint64_t promised =
        scalar_size == 0 || count > (std::numeric_limits<std::uint64_t>::max() - header_size - 4) / scalar_size
            ? std::numeric_limits<std::uint64_t>::max()
            : header_size + count * scalar_size + 4;

    if (!source.checksum_ok) {
        if (scalar_size != 0 && size < promised) {
            return Status(Kind::truncated, name + " is truncated: it has " + std::to_string(size) + " of the " +
                                               std::to_string(promised) + " bytes its header announces");
        }
        return Status(Kind::checksum_mismatch, name + " is corrupted: its CRC-32 is " + hex32(source.stored_checksum) +
                                                   " but its content's is " + hex32(source.computed_checksum));
    }

    // An intact file: now its header can be trusted.
    if (scalar_size == 0 || !reserved_zero) {
        return Status(Kind::not_a_weights_file,
                      name + " has a malformed header: " +
                          (scalar_size == 0 ? "scalar type code " + std::to_string(scalar_code) + " is none of ctnn's"
                                            : std::string("its reserved bytes are not zero")));
    }
    if (scalar_code != expected.scalar_code) {
        // The text names the scalar type too; say it separately only if the two disagree.
        const bool text_agrees = scalar_code_of_text(text) == scalar_code;
        return Status(Kind::scalar_type_mismatch,
                      name + " was saved for " + describe_topology_text(text) +
                          (text_agrees ? "" : " with " + scalar_code_name(scalar_code) + " parameters") + ", not " +
                          expected_type + (text_agrees ? conversion_hint(scalar_code, text, expected) : ""));
    }
    if (text != expected.text) {
        return Status(Kind::topology_mismatch,
                      name + " was saved for " + describe_topology_text(text) + ", not " + expected_type +
                          topology_difference(text, expected.topology, expected.requantizer, expected.format));
    }
    if (count != expected.count) {
        return Status(Kind::parameter_count_mismatch, name + " holds " + std::to_string(count) + " " +
                                                          expected.count_noun + ", but " + expected_type + " has " +
                                                          std::to_string(expected.count));
    }
    if (size != promised) {
        return size < promised
                   ? Status(Kind::truncated, name + " is truncated: it has " + std::to_string(size) + " of " +
                                                 std::to_string(promised) + " bytes")
                   : Status(Kind::not_a_weights_file, name + " has " + std::to_string(size - promised) +
                                                          " bytes more than a weights file of " + expected_type);
    }
    return {};
}

/// Checks a weights file against `Net` and, when it is for `Net`, writes its parameters to
/// `net`; otherwise leaves `net` as it was.
template <class Net>
Status decode_weights(Net& net, const weights_source& source) {
    using T = typename Net::value_type;
    const weights_layout layout = weights_layout_of<Net>();
    if (Status status = check_weights(source, layout); !status) return status;

    // Everything agrees: decode into a buffer, then copy into the network.
    std::vector<T> parameters(Net::parameter_count);
    const std::size_t first = 28 + layout.text.size();
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        using U = weights_bits_t<T>;
        parameters[k] = std::bit_cast<T>(read_little_endian<U>(source.prefix, first + k * sizeof(T)));
    }
    net.write_parameters(std::span<const T, Net::parameter_count>(parameters.data(), Net::parameter_count));
    return {};
}

/// The start of a weights file: magic, `version`, `scalar_code`, the topology text and the count field.
inline void append_weights_header(std::vector<std::byte>& out, unsigned scalar_code, std::string_view text,
                                  std::uint64_t count, std::uint32_t version = weights_format_version) {
    // Byte by byte: where this is inlined into its one caller, GCC 12 at -O2 warns of a range insert into the vector
    // that caller reserved (-Wstringop-overflow, a false positive; tests/unit/quantized_weights_o2_test.cpp).
    for (const std::byte b : weights_magic) out.push_back(b);
    append_little_endian(out, version);
    out.push_back(static_cast<std::byte>(scalar_code));
    out.insert(out.end(), 3, std::byte{0});
    append_little_endian(out, static_cast<std::uint32_t>(text.size()));
    for (char c : text) out.push_back(static_cast<std::byte>(c));
    append_little_endian(out, count);
}

/// Reads the file `path` for load(): its first `keep` bytes into `prefix` (which `source.prefix` then views), its
/// size and checksum. Fails with file_not_found or unreadable.
inline Status read_weights_source(const std::filesystem::path& path, std::uint64_t keep, std::vector<std::byte>& prefix,
                                  weights_source& source) {
    using Kind = Status::Kind;
    const std::string name = weights_display_name(path);
    std::error_code ec;
    const std::filesystem::file_status status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
        return Status(Kind::file_not_found, name + " does not exist");
    }
    if (std::filesystem::is_directory(status)) {
        return Status(Kind::unreadable, "cannot read " + name + ": it is a directory");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int error = errno;
        return Status(Kind::unreadable,
                      "cannot open " + name + (error != 0 ? ": " + std::generic_category().message(error) : ""));
    }

    // Keep at most `keep` bytes, but run the checksum over all of it (lagging 4 bytes behind, so the last 4, the
    // stored checksum, stay out of it).
    crc32_accumulator crc;
    std::array<std::byte, 4> last{};
    std::uint64_t size = 0;
    std::vector<char> chunk(65536);
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        for (std::size_t k = 0; k < got; ++k, ++size) {
            const auto b = static_cast<std::byte>(chunk[k]);
            if (size < keep) prefix.push_back(b);
            if (size >= 4) crc.update(last[size % 4]);
            last[size % 4] = b;
        }
    }
    if (in.bad()) return Status(Kind::unreadable, "cannot read " + name + ": a read error");

    source.prefix = prefix;
    source.size = size;
    source.name = name;
    if (size >= 4) {
        for (std::size_t k = 0; k < 4; ++k) {
            source.stored_checksum |= std::to_integer<std::uint32_t>(last[(size - 4 + k) % 4]) << (8 * k);
        }
        source.computed_checksum = crc.value();
        source.checksum_ok = source.computed_checksum == source.stored_checksum;
    }
    return {};
}

/// load() for any network type: reads the file `path`, keeping a little more than the `file_size` bytes of a file for
/// the network (a far longer file is another network's), and returns `decode(source)`.
template <class Decode>
Status load_weights_file(const std::filesystem::path& path, std::uint64_t file_size, Decode&& decode) {
    std::vector<std::byte> prefix;
    weights_source source;
    if (Status status = read_weights_source(path, file_size + 4096, prefix, source); !status) return status;
    return decode(source);
}

/// A weights file held in memory, as load() sees a file: named `name`, its checksum checked.
inline weights_source memory_weights_source(std::span<const std::byte> bytes, std::string_view name) {
    weights_source source;
    source.prefix = bytes;
    source.size = bytes.size();
    source.name = std::string(name);
    if (bytes.size() >= 4) {
        source.computed_checksum = crc32(bytes.first(bytes.size() - 4));
        source.stored_checksum = read_little_endian<std::uint32_t>(bytes, bytes.size() - 4);
        source.checksum_ok = source.computed_checksum == source.stored_checksum;
    }
    return source;
}

/// Writes `bytes` to `path + ".tmp"`, then renames it to `path`: a failure never leaves a
/// partial file under `path` (the temporary is removed). `what` names the file in messages.
inline Status write_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes,
                                    std::string_view what) {
    using Kind = Status::Kind;
    if (path.empty())
        return Status(Kind::invalid_argument, "cannot write " + std::string(what) + ": the path is empty");
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    const std::string name = path.string();
    const auto system_reason = [](int error) {
        return error != 0 ? ": " + std::generic_category().message(error) : std::string();
    };
    const auto give_up = [&](std::string message) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        return Status(Kind::write_failed, std::move(message));
    };
    {
        errno = 0;
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) {
            const int error = errno;
            // Only remove what we may have created: a directory of that name is not ours.
            std::error_code ignored;
            if (!std::filesystem::is_directory(temporary, ignored)) std::filesystem::remove(temporary, ignored);
            return Status(Kind::write_failed,
                          "cannot write " + name + ": cannot create " + temporary.string() + system_reason(error));
        }
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        const int error = errno;
        const bool written = static_cast<bool>(out);
        out.close();
        if (!written || out.fail()) {
            return give_up("cannot write " + name + ": writing " + temporary.string() + " failed" +
                           system_reason(written ? 0 : error));
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec)
        return give_up("cannot write " + name + ": cannot rename " + temporary.string() + " to it: " + ec.message());
    return {};
}

}  // namespace detail

/// The bytes of a weights file for `net` (the layout above).
///
/// Requires: Net's scalar type is float or double.
template <NetworkType Net>
[[nodiscard]] std::vector<std::byte> to_weights_bytes(const Net& net) {
    using T = typename Net::value_type;
    static_assert(detail::is_weights_scalar<T>,
                  "ctnn::io::save(net, path): only networks of float or double (IEEE 754) can be saved");
    using U = detail::weights_bits_t<T>;
    const std::string text = signature<Net>();
    std::vector<std::byte> out;
    out.reserve(static_cast<std::size_t>(detail::weights_file_size<Net>()));
    detail::append_weights_header(out, sizeof(T), text, Net::parameter_count);
    std::vector<T> parameters(Net::parameter_count);
    net.read_parameters(std::span<T, Net::parameter_count>(parameters.data(), Net::parameter_count));
    if constexpr (detail::is_weights_scalar<T>) {  // keeps the static_assert the only error otherwise
        for (T value : parameters) detail::append_little_endian(out, std::bit_cast<U>(value));
    }
    detail::append_little_endian(out, detail::crc32(out));
    return out;
}

/// Reads a weights file held in memory into `net`, as load() does; `name` names it in
/// messages. On any failure `net` is unchanged.
template <NetworkType Net>
Status from_weights_bytes(Net& net, std::span<const std::byte> bytes, std::string_view name = "the buffer") {
    static_assert(detail::is_weights_scalar<typename Net::value_type>,
                  "ctnn::io::load(net, path): only networks of float or double (IEEE 754) can be loaded");
    return detail::decode_weights(net, detail::memory_weights_source(bytes, name));
}

/// Saves `net`'s parameters to the weights file `path`, replacing any file there. Writes
/// `path + ".tmp"` first and renames it, so `path` holds either the old file or the whole
/// new one, never a partial write.
///
/// Requires: Net's scalar type is float or double.
/// Returns: ok, write_failed or invalid_argument (an empty path).
template <NetworkType Net>
Status save(const Net& net, const std::filesystem::path& path) {
    const std::vector<std::byte> bytes = to_weights_bytes(net);
    return detail::write_file_atomically(path, bytes, "the weights file");
}

/// Loads the weights file `path` into `net`. The file must have been saved from a network of
/// the same scalar type and topology (units, activations and their ratio parameters).
///
/// Ensures: on success, `net`'s parameters are the file's, bit for bit; on failure `net` is
/// unchanged and the Status says why (file_not_found, unreadable, not_a_weights_file,
/// unsupported_version, scalar_type_mismatch, topology_mismatch, parameter_count_mismatch,
/// truncated, checksum_mismatch).
template <NetworkType Net>
Status load(Net& net, const std::filesystem::path& path) {
    static_assert(detail::is_weights_scalar<typename Net::value_type>,
                  "ctnn::io::load(net, path): only networks of float or double (IEEE 754) can be loaded");
    return detail::load_weights_file(path, detail::weights_file_size<Net>(), [&](const detail::weights_source& source) {
        return detail::decode_weights(net, source);
    });
}

}  // namespace ctnn::io
