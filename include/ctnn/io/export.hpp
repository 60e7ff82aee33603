#pragma once

/// @file
/// ctnn::io::export_header: a trained network as a self-contained C++ header of constexpr
/// data, for programs without a file system (firmware). Hosted only; the header it writes
/// needs only <ctnn/ctnn.hpp>, which is not.
///
/// For `export_header(net, "model.hpp", "model")` the header reads:
///
///     #pragma once
///     #include <ctnn/ctnn.hpp>
///     #include <array>
///     ...
///     namespace model {
///     using Network = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::Tanh>, ...>;
///     inline constexpr char topology[] = "float;2;8:tanh;1:sigmoid";
///     inline constexpr std::array<float, 33> parameters = {0.25f, -1.5f, ...};
///     inline constexpr Network network = Network::from_parameters(parameters);
///     }  // namespace model
///
/// and a program uses `model::network.forward(x)`: the network is built at compile time and
/// lives in read-only memory. Every value is written exactly: the shortest decimal that reads
/// back as the same float or double (std::to_chars), so the program's network is bit for bit
/// the exported one; a NaN or infinity is written as a std::bit_cast of its bits.
///
/// Building the network is a constant expression of about one evaluation step per parameter
/// (a 784-128-64-10 network, 109,386 parameters, takes clang 14 between 110,000 and 120,000
/// steps). g++'s default limits are ample; clang's (1,048,576 steps) cover about 900,000
/// parameters, and for larger networks the header names the -fconstexpr-steps it needs.
///
/// A quantized network (ctnn::QuantizedNetwork) exports the same way, as its own parameters, one
/// byte per int8 weight (hexadecimal) and every per-unit constant:
///
///     namespace model {
///     using FloatNetwork = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::Tanh>, ...>;
///     using Network = ctnn::QuantizedNetwork<FloatNetwork, ctnn::FixedPointRequantizer>;
///     inline constexpr char topology[] = "quantized(fixed_point);float;2;8:tanh;1:sigmoid";
///     inline constexpr ctnn::QuantizationParams input_qparams = {0.0156862754f, 128};
///     inline constexpr Network::layer_type<0> layer_1 = {.bias = {{...}}, .multipliers = {{...}},
///         .linear_qparams = {...}, .output_qparams = {...}, .weights = {{0x1f, -0x80, ...}},
///         .lookup_table = {{...}}};
///     ...
///     inline constexpr Network network{input_qparams, layer_1, layer_2};
///     }  // namespace model
///
/// (with ctnn::FloatRequantizer each layer also has `.weight_scales = {{...}}` after its biases; a
/// FixedPointRequantizer layer keeps none).
///
/// `model::network` is the exported object, bit for bit (every float by the same exact literals), built at
/// compile time in read-only memory: sizeof(Network) = Network::storage_bytes bytes, the layer_N variables
/// only feed it. A 784-128-64-10 network builds with clang's default limits.
///
/// A network of 16-bit weights (ctnn::BFloat16Network, ctnn::Float16Network) exports its weights as their 16-bit
/// patterns, hexadecimal integer literals (2 bytes each in the object), and its biases and PReLU slopes as float
/// literals (a Float16Network: `ctnn::Float16Network<FloatNetwork>`, topology `float16;float;...`, binary16 patterns):
///
///     namespace model {
///     using FloatNetwork = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::Tanh>, ...>;
///     using Network = ctnn::BFloat16Network<FloatNetwork>;
///     inline constexpr char topology[] = "bfloat16;float;2;8:tanh;1:sigmoid";
///     inline constexpr std::array<std::uint16_t, 24> weights = {0x3f80, 0xbe20, ...};
///     inline constexpr std::array<float, 9> float_parameters = {0.25f, ...};
///     inline constexpr Network network = Network::from_parameters(weights, float_parameters);
///     }  // namespace model
///
/// `model::network` is the exported object bit for bit, built at compile time in read-only memory:
/// sizeof(Network) = Network::storage_bytes (2 bytes per padded weight, 4 per padded bias and slope).

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/export.hpp: not available in freestanding builds"
#endif

#include "ctnn/io/quantized_parameters.hpp"
#include "ctnn/io/signature.hpp"
#include "ctnn/io/weights.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctnn::io {

namespace detail {

/// True for a C++20 keyword or alternative token, which cannot name a namespace.
inline bool is_cpp_keyword(std::string_view word) noexcept {
    constexpr std::string_view keywords[] = {
        "alignas",     "alignof",   "and",        "and_eq",    "asm",      "auto",         "bitand",
        "bitor",       "bool",      "break",      "case",      "catch",    "char",         "char8_t",
        "char16_t",    "char32_t",  "class",      "compl",     "concept",  "const",        "consteval",
        "constexpr",   "constinit", "const_cast", "continue",  "co_await", "co_return",    "co_yield",
        "decltype",    "default",   "delete",     "do",        "double",   "dynamic_cast", "else",
        "enum",        "explicit",  "export",     "extern",    "false",    "float",        "for",
        "friend",      "goto",      "if",         "inline",    "int",      "long",         "mutable",
        "namespace",   "new",       "noexcept",   "not",       "not_eq",   "nullptr",      "operator",
        "or",          "or_eq",     "private",    "protected", "public",   "register",     "reinterpret_cast",
        "requires",    "return",    "short",      "signed",    "sizeof",   "static",       "static_assert",
        "static_cast", "struct",    "switch",     "template",  "this",     "thread_local", "throw",
        "true",        "try",       "typedef",    "typeid",    "typename", "union",        "unsigned",
        "using",       "virtual",   "void",       "volatile",  "wchar_t",  "while",        "xor",
        "xor_eq",
    };
    for (std::string_view keyword : keywords) {
        if (word == keyword) return true;
    }
    return false;
}

/// True for a namespace name: C++ identifiers (ASCII letters, digits, '_'; no keyword),
/// optionally nested with "::", e.g. `model` or `firmware::models::xor_net`.
inline bool is_namespace_name(std::string_view name) noexcept {
    for (;;) {
        const std::size_t end = name.find("::");
        const std::string_view part = name.substr(0, end);
        if (part.empty() || (part.front() >= '0' && part.front() <= '9') || is_cpp_keyword(part)) return false;
        for (char c : part) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) return false;
        }
        if (end == std::string_view::npos) return true;
        name.remove_prefix(end + 2);
    }
}

}  // namespace detail

/// The text of the header export_header() writes (see the file comment).
///
/// Requires: `name` is a namespace name (C++ identifiers, nested with "::"); Net's scalar
/// type is float or double.
template <NetworkType Net>
[[nodiscard]] std::string export_header_text(const Net& net, std::string_view name) {
    using T = typename Net::value_type;
    static_assert(detail::is_weights_scalar<T>,
                  "ctnn::io::export_header(net, path, name): only networks of float or double can be exported");
    CTNN_ASSERT(detail::is_namespace_name(name), "ctnn::io::export_header_text: name must be a C++ namespace name");
    std::vector<T> parameters(Net::parameter_count);
    net.read_parameters(std::span<T, Net::parameter_count>(parameters.data(), Net::parameter_count));
    const std::string type = cpp_type<Net>();
    const std::string text = signature<Net>();
    const std::string scalar = scalar_type_name<T>();
    const std::string count = std::to_string(Net::parameter_count);

    std::string out;
    out += "// Generated by ctnn::io::export_header: a trained ctnn network as constexpr data. Do not edit.\n";
    out += "//\n";
    out += "// Topology: " + text + "\n";
    out += "// Use: " + std::string(name) + "::network.forward(x), with x of type " + std::string(name) +
           "::Network::input_type.\n";
    // clang evaluates from_parameters in about 1.1 steps per parameter (twice that, to be safe); its default limit
    // is 1048576 steps.
    if (constexpr std::size_t steps = 2 * Net::parameter_count + 10000; steps > 1048576) {
        out += "// The network is built at compile time: clang needs -fconstexpr-steps=" + std::to_string(steps) +
               " or more for it.\n";
    }
    out += "#pragma once\n\n#include <ctnn/ctnn.hpp>\n\n#include <array>\n#include <bit>\n#include <cstdint>\n\n";
    out += "namespace " + std::string(name) + " {\n\n";
    out += "/// The network's type.\n";
    out += "using Network = " + type + ";\n\n";
    out += "/// Its topology text, as in ctnn weights files (ctnn::io::signature<Network>()).\n";
    out += "inline constexpr char topology[] = \"" + text + "\";\n\n";
    out += "/// Its " + count +
           " parameters in the canonical order: per layer the weight [out][in], the bias, PReLU "
           "slopes.\n";
    out += "inline constexpr std::array<" + scalar + ", " + count + "> parameters = {\n";
    std::string line = "   ";
    for (std::size_t k = 0; k < parameters.size(); ++k) {
        const std::string item = ' ' + detail::cpp_literal(parameters[k]) + ',';
        if (line.size() + item.size() > 100) {
            out += line + '\n';
            line = "   ";
        }
        line += item;
    }
    out += line + "\n};\n\n";
    out += "/// The network, ready to use, in read-only memory.\n";
    out += "inline constexpr Network network = Network::from_parameters(parameters);\n\n";
    out += "}  // namespace " + std::string(name) + "\n";
    return out;
}

namespace detail {

/// `values` as the items of a braced list, 100 columns at most, each line indented by 8 spaces.
template <class Range, class Format>
std::string braced_items(const Range& values, Format format) {
    std::string out, line = "       ";
    for (const auto& v : values) {
        const std::string item = ' ' + format(v) + ',';
        if (line.size() + item.size() > 100) {
            out += line + '\n';
            line = "       ";
        }
        line += item;
    }
    return out + line + '\n';
}

/// An integer in C++ hexadecimal, with its sign: 0x7f, -0x80.
inline std::string hex_literal(std::int32_t value) {
    constexpr char digits[] = "0123456789abcdef";
    const std::uint32_t magnitude =
        value < 0 ? 0u - static_cast<std::uint32_t>(value) : static_cast<std::uint32_t>(value);
    std::string text;
    for (std::uint32_t m = magnitude; m != 0 || text.empty(); m >>= 4) text.insert(text.begin(), digits[m & 0xFu]);
    return (value < 0 ? "-0x" : "0x") + text;
}

inline std::string qparams_literal(const QuantizationParams& q) {
    // Appended, not "{" + ...: g++ 12 at -O3 warns of a memcpy overlap in that operator+ (-Wrestrict, a false alarm).
    std::string text = "{";
    text += cpp_literal(q.scale) + ", " + std::to_string(q.zero_point) + "}";
    return text;
}

inline std::string multiplier_literal(float m) {
    return cpp_literal(m);
}
inline std::string multiplier_literal(const FixedPointRequantizer::multiplier_type& m) {
    std::string text = "{";  // as qparams_literal
    text += std::to_string(m.multiplier) + ", " + std::to_string(m.shift) + "}";
    return text;
}

}  // namespace detail

/// The text of the header export_header() writes for a quantized network (see the file comment).
///
/// Requires: `name` is a namespace name (C++ identifiers, nested with "::"). Writes every value as it is, unchecked:
/// for a network whose values are not valid (ctnn/io/quantized_parameters.hpp; export_header() refuses it with
/// invalid_parameter) the header builds a network that breaks QuantizedNetwork's requirements.
template <QuantizedNetworkType Q>
[[nodiscard]] std::string export_header_text(const Q& net, std::string_view name) {
    CTNN_ASSERT(detail::is_namespace_name(name), "ctnn::io::export_header_text: name must be a C++ namespace name");
    using Net = typename Q::network_type;
    const std::string n(name);
    const auto dec = [](auto v) { return std::to_string(v); };
    const auto hex = [](auto v) { return detail::hex_literal(v); };
    const auto real = [](float v) { return detail::cpp_literal(v); };
    const auto multiplier = [](const auto& m) { return detail::multiplier_literal(m); };

    std::string out;
    out += "// Generated by ctnn::io::export_header: a quantized ctnn network (int8) as constexpr data. Do not edit.\n";
    out += "//\n";
    out += "// Topology: " + signature<Q>() + "\n";
    out += "// Use: " + n + "::network.forward(x), with x of type " + n + "::Network::input_type.\n";
    out += "// Read-only data: " + std::to_string(Q::storage_bytes) + " bytes (sizeof(" + n + "::Network)).\n";
    out += "#pragma once\n\n#include <ctnn/ctnn.hpp>\n\n#include <array>\n#include <cstdint>\n\n";
    out += "namespace " + n + " {\n\n";
    out += "/// The float network that was quantized, and the quantized network's type.\n";
    out += "using FloatNetwork = " + cpp_type<Net>() + ";\n";
    out += "using Network = ctnn::QuantizedNetwork<FloatNetwork, " +
           RequantizerSpelling<typename Q::requantizer_type>::cpp_name() + ">;\n\n";
    out += "/// Its topology text, as in ctnn weights files (ctnn::io::signature<Network>()).\n";
    out += "inline constexpr char topology[] = \"" + signature<Q>() + "\";\n\n";
    out += "/// The input's quantization (scale, zero point).\n";
    out += "inline constexpr ctnn::QuantizationParams input_qparams = " + detail::qparams_literal(net.input_qparams()) +
           ";\n\n";
    std::string layers;
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        const auto& layer = net.template layer<i>();
        const std::string var = "layer_" + std::to_string(i + 1);
        layers += ", " + var;
        out += "/// Layer " + std::to_string(i + 1) + ": " + std::to_string(L::output_size) + " units of " +
               std::to_string(L::input_size) + " inputs, " + activation_cpp_name<typename L::activation>() +
               "; weights in rows of " + std::to_string(L::row_stride) + " bytes" +
               (L::row_stride == L::input_size
                    ? std::string()
                    : " (the last " + std::to_string(L::row_stride - L::input_size) + " zero)") +
               ", which the network stores in its arch's order.\n";
        out += "inline constexpr Network::layer_type<" + std::to_string(i) + "> " + var + " = {\n";
        out += "    .bias = {{\n" + detail::braced_items(layer.bias, dec) + "    }},\n";
        if constexpr (L::has_weight_scales) {
            out += "    .weight_scales = {{\n" + detail::braced_items(layer.weight_scales, real) + "    }},\n";
        }
        out += "    .multipliers = {{\n" + detail::braced_items(layer.multipliers, multiplier) + "    }},\n";
        out += "    .linear_qparams = " + detail::qparams_literal(layer.linear_qparams) + ",\n";
        out += "    .output_qparams = " + detail::qparams_literal(layer.output_qparams) + ",\n";
        // As rows whatever the layout of this arch: the header's int8_weight_matrix puts them in the layout of the
        // arch it is compiled for.
        out += "    .weights = {{\n";
        const auto rows = layer.weights.rows();
        for (std::size_t o = 0; o < L::output_size; ++o) {
            const auto row = std::span(rows).subspan(o * L::row_stride, L::row_stride);
            out += detail::braced_items(row, [](std::int8_t w) { return detail::hex_literal(w); });
        }
        out += "    }},\n";
        if constexpr (L::has_lookup_table) {
            out += "    .lookup_table = {{\n" + detail::braced_items(layer.lookup_table, hex) + "    }},\n";
        } else {
            out += "    .lookup_table = {},\n";
        }
        out += "};\n\n";
    });
    out += "/// The network, ready to use, in read-only memory.\n";
    out += "inline constexpr Network network{input_qparams" + layers + "};\n\n";
    out += "}  // namespace " + n + "\n";
    return out;
}

/// The text of the header export_header() writes for a network of 16-bit weights (see the file comment).
///
/// Requires: `name` is a namespace name (C++ identifiers, nested with "::").
template <Weights16NetworkType N>
[[nodiscard]] std::string export_header_text(const N& net, std::string_view name) {
    CTNN_ASSERT(detail::is_namespace_name(name), "ctnn::io::export_header_text: name must be a C++ namespace name");
    const std::string n(name);
    const Weights16Format& format = Weights16Spelling<N>::format;
    std::vector<std::uint16_t> weights(N::weight_count);
    std::vector<float> others(N::float_parameter_count);
    net.read_parameters(std::span<std::uint16_t, N::weight_count>(weights.data(), N::weight_count),
                        std::span<float, N::float_parameter_count>(others.data(), N::float_parameter_count));
    const auto hex = [](std::uint16_t v) { return detail::hex_literal(v); };
    const auto real = [](float v) { return detail::cpp_literal(v); };

    std::string out;
    out += "// Generated by ctnn::io::export_header: a ctnn network of " + std::string(format.id) +
           " weights as constexpr data. Do not edit.\n";
    out += "//\n";
    out += "// Topology: " + signature<N>() + "\n";
    out += "// Use: " + n + "::network.forward(x), with x of type " + n + "::Network::input_type.\n";
    out += "// Read-only data: " + std::to_string(N::storage_bytes) + " bytes (sizeof(" + n + "::Network)).\n";
    // As for a float network: a few evaluation steps per parameter (clang's default limit is 1048576 steps).
    if (constexpr std::size_t steps = 2 * N::parameter_count + 10000; steps > 1048576) {
        out += "// The network is built at compile time: clang needs -fconstexpr-steps=" + std::to_string(steps) +
               " or more for it.\n";
    }
    out += "#pragma once\n\n#include <ctnn/ctnn.hpp>\n\n#include <array>\n#include <bit>\n#include <cstdint>\n\n";
    out += "namespace " + n + " {\n\n";
    out += "/// The float network whose weights were rounded, and the network's type.\n";
    out += "using FloatNetwork = " + cpp_type<typename N::network_type>() + ";\n";
    out += "using Network = " + std::string(format.cpp_template) + "<FloatNetwork>;\n\n";
    out += "/// Its topology text, as in ctnn weights files (ctnn::io::signature<Network>()).\n";
    out += "inline constexpr char topology[] = \"" + signature<N>() + "\";\n\n";
    out += "/// Its " + std::to_string(N::weight_count) + " weights as " + std::string(format.id) +
           " bit patterns, in the canonical order: per layer the weight [out][in].\n";
    out += "inline constexpr std::array<std::uint16_t, " + std::to_string(N::weight_count) + "> weights = {\n" +
           detail::braced_items(weights, hex) + "};\n\n";
    out += "/// Its " + std::to_string(N::float_parameter_count) +
           " other parameters, in the canonical order: per layer the bias, PReLU slopes.\n";
    out += "inline constexpr std::array<float, " + std::to_string(N::float_parameter_count) +
           "> float_parameters = {\n" + detail::braced_items(others, real) + "};\n\n";
    out += "/// The network, ready to use, in read-only memory.\n";
    out += "inline constexpr Network network = Network::from_parameters(weights, float_parameters);\n\n";
    out += "}  // namespace " + n + "\n";
    return out;
}

/// Writes a C++ header holding `net`'s type as `name::Network`, its parameters as
/// `name::parameters` (a quantized network: `name::input_qparams` and `name::layer_1` ...; a network of 16-bit
/// weights: `name::weights` and `name::float_parameters`) and
/// the ready network as `inline constexpr Network name::network` (see the file comment). Like
/// save(), writes `path + ".tmp"` and renames it.
///
/// A quantized network is exported only when every value is valid, as save() and load() require
/// (ctnn/io/quantized_parameters.hpp: the invariants QuantizedNetwork's constructor requires); otherwise nothing is
/// written: `path` (and `path + ".tmp"`) stay as they were.
///
/// Requires: Net's scalar type is float or double.
/// Returns: ok, write_failed, or invalid_argument when `name` is not a namespace name (C++
/// identifiers, optionally nested with "::") or `path` is empty; for a quantized network, invalid_parameter naming
/// the first invalid value as save() does, e.g. "cannot export to model.hpp: the network holds an invalid parameter:
/// the input's scale is 0.0f, not a positive finite number".
template <class Net>
    requires NetworkType<Net> || QuantizedNetworkType<Net> || Weights16NetworkType<Net> Status
    export_header(const Net& net, const std::filesystem::path& path, std::string_view name) {
        if (!detail::is_namespace_name(name)) {
            return Status(Status::Kind::invalid_argument,
                          "cannot export to " + path.string() + ": \"" + std::string(name) +
                              "\" is not a C++ namespace name (identifiers, optionally nested with ::)");
        }
        if constexpr (QuantizedNetworkType<Net>) {
            if (Status status = detail::check_quantized_parameters(net, "cannot export to " + path.string()); !status) {
                return status;
            }
        }
        const std::string text = export_header_text(net, name);
        const auto* first = reinterpret_cast<const std::byte*>(text.data());
        return detail::write_file_atomically(path, std::span<const std::byte>(first, text.size()), "the header");
    }

}  // namespace ctnn::io
