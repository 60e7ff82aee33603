#pragma once

/// @file
/// Stable textual spellings of activations and network topologies, for weights files,
/// exported headers, messages and other tools (tools/pytorch_interop.py reads the same text).
/// Hosted only.
///
/// An activation has two spellings:
/// - `cpp_name`, the C++ type as a user writes it: `ctnn::Tanh`, `ctnn::LeakyReLU` (the default
///   slope), `ctnn::LeakyReLU::with<std::ratio<1, 10>>`;
/// - `id`, the short form used in files: `tanh`, `leaky_relu(1/10)`, `rrelu(1/8,1/3)`.
///
/// A ratio is written reduced (std::ratio reduces it), as `num/den`, or `num` when den is 1;
/// in C++ as `std::ratio<num, den>`, or `std::ratio<num>` when den is 1.
///
/// A topology's text is `<scalar>;<inputs>;<units>:<activation id>;...`, one field per layer,
/// for example `float;2;16:tanh;16:tanh;1:sigmoid`. The text never holds spaces, and two
/// networks have the same text exactly when they have the same scalar type, input size,
/// units and activation types (with their ratio parameters) in the same order.
///
/// A quantized network (ctnn::QuantizedNetwork<Net, Requantizer>) is spelt
/// `quantized(<requantizer id>);<Net's text>`, e.g. `quantized(fixed_point);float;2;16:tanh;1:sigmoid`, with the
/// requantizer's id `float` (ctnn::FloatRequantizer) or `fixed_point` (ctnn::FixedPointRequantizer).
///
/// A network of 16-bit floating-point weights (ctnn::BFloat16Network<Net>, ctnn::Float16Network<Net>) is spelt
/// `<format id>;<Net's text>`, e.g. `bfloat16;float;2;16:tanh;1:sigmoid` or `float16;float;2;16:tanh;1:sigmoid`
/// (Weights16Format).

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/io/signature.hpp: not available in freestanding builds"
#endif

#include "ctnn/activation.hpp"
#include "ctnn/bfloat16_network.hpp"
#include "ctnn/detail/static_for.hpp"
#include "ctnn/float16_network.hpp"
#include "ctnn/network.hpp"
#include "ctnn/quantized_network.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn::io {

namespace detail {

template <class T>
inline constexpr bool no_spelling_for = false;

/// `num/den`, or `num` when den is 1.
template <class Ratio>
std::string ratio_id() {
    std::string text = std::to_string(Ratio::num);
    if (Ratio::den != 1) text += '/' + std::to_string(Ratio::den);
    return text;
}

/// `std::ratio<num, den>`, or `std::ratio<num>` when den is 1.
template <class Ratio>
std::string ratio_cpp_name() {
    std::string text = "std::ratio<" + std::to_string(Ratio::num);
    if (Ratio::den != 1) text += ", " + std::to_string(Ratio::den);
    return text + '>';
}

/// How a user writes the parametric activation named `name` with the parameters `Ratios`:
/// `ctnn::<name>` when they equal those of `Default` (the type `ctnn::<name>`), else
/// `ctnn::<name>::with<ratio, ...>`. Compares reduced ratios, as `with` does: the id is the same.
template <class Default, class... Ratios>
std::string parametric_cpp_name(const char* name) {
    std::string text = std::string("ctnn::") + name;
    if constexpr (!std::is_same_v<typename Default::template with<Ratios...>, Default>) {
        text += "::with<";
        const char* separator = "";
        ((text += separator, text += ratio_cpp_name<Ratios>(), separator = ", "), ...);
        text += '>';
    }
    return text;
}

}  // namespace detail

/// How the activation `Act` is spelt: `id()` in files, `cpp_name()` in C++ code.
///
/// Specialised for every ctnn activation. To save networks that use an activation of your
/// own, specialise it with an `id()` made of lowercase letters, digits and underscores (plus
/// ratio parameters in parentheses); tools that do not know the id then refuse the file.
template <class Act>
struct ActivationSpelling {
    static_assert(detail::no_spelling_for<Act>,
                  "ctnn::io::ActivationSpelling<Act>: Act has no file spelling; specialise "
                  "ctnn::io::ActivationSpelling<Act> with static id() and cpp_name() functions");
    // Declared so that the static_assert is the only error; never defined.
    static std::string id();
    static std::string cpp_name();
};

template <>
struct ActivationSpelling<Sigmoid> {
    static std::string id() { return "sigmoid"; }
    static std::string cpp_name() { return "ctnn::Sigmoid"; }
};
template <>
struct ActivationSpelling<Tanh> {
    static std::string id() { return "tanh"; }
    static std::string cpp_name() { return "ctnn::Tanh"; }
};
template <>
struct ActivationSpelling<ReLU> {
    static std::string id() { return "relu"; }
    static std::string cpp_name() { return "ctnn::ReLU"; }
};
template <>
struct ActivationSpelling<Softplus> {
    static std::string id() { return "softplus"; }
    static std::string cpp_name() { return "ctnn::Softplus"; }
};
template <>
struct ActivationSpelling<Abs> {
    static std::string id() { return "abs"; }
    static std::string cpp_name() { return "ctnn::Abs"; }
};
template <>
struct ActivationSpelling<BinaryStep> {
    static std::string id() { return "binary_step"; }
    static std::string cpp_name() { return "ctnn::BinaryStep"; }
};
template <>
struct ActivationSpelling<Linear> {
    static std::string id() { return "linear"; }
    static std::string cpp_name() { return "ctnn::Linear"; }
};
template <>
struct ActivationSpelling<Softmax> {
    static std::string id() { return "softmax"; }
    static std::string cpp_name() { return "ctnn::Softmax"; }
};
template <class Slope>
struct ActivationSpelling<BasicLeakyReLU<Slope>> {
    static std::string id() { return "leaky_relu(" + detail::ratio_id<Slope>() + ')'; }
    static std::string cpp_name() { return detail::parametric_cpp_name<LeakyReLU, Slope>("LeakyReLU"); }
};
template <class Alpha>
struct ActivationSpelling<BasicELU<Alpha>> {
    static std::string id() { return "elu(" + detail::ratio_id<Alpha>() + ')'; }
    static std::string cpp_name() { return detail::parametric_cpp_name<ELU, Alpha>("ELU"); }
};
template <class Beta>
struct ActivationSpelling<BasicSwish<Beta>> {
    static std::string id() { return "swish(" + detail::ratio_id<Beta>() + ')'; }
    static std::string cpp_name() { return detail::parametric_cpp_name<Swish, Beta>("Swish"); }
};
template <class InitialSlope>
struct ActivationSpelling<BasicPReLU<InitialSlope>> {
    static std::string id() { return "prelu(" + detail::ratio_id<InitialSlope>() + ')'; }
    static std::string cpp_name() { return detail::parametric_cpp_name<PReLU, InitialSlope>("PReLU"); }
};
template <class Lower, class Upper>
struct ActivationSpelling<BasicRReLU<Lower, Upper>> {
    static std::string id() { return "rrelu(" + detail::ratio_id<Lower>() + ',' + detail::ratio_id<Upper>() + ')'; }
    static std::string cpp_name() { return detail::parametric_cpp_name<RReLU, Lower, Upper>("RReLU"); }
};

/// The file spelling of `Act`, e.g. `leaky_relu(1/10)`.
template <class Act>
[[nodiscard]] std::string activation_id() {
    return ActivationSpelling<Act>::id();
}

/// The C++ spelling of `Act`, e.g. `ctnn::LeakyReLU::with<std::ratio<1, 10>>`.
template <class Act>
[[nodiscard]] std::string activation_cpp_name() {
    return ActivationSpelling<Act>::cpp_name();
}

namespace detail {

/// A ctnn activation: its id, its C++ name, how many ratio parameters it takes and, for a
/// parametric one, the id of its default type (spelt by `cpp_name` alone; others by
/// `cpp_name::with<...>`).
struct activation_template {
    std::string_view id;
    std::string_view cpp_name;
    std::size_t ratios;
    std::string_view default_id;
};

/// Every ctnn activation by id; the run-time inverse of ActivationSpelling (a unit test
/// checks that the two agree).
inline constexpr activation_template activation_templates[] = {
    {"sigmoid", "ctnn::Sigmoid", 0, ""},
    {"tanh", "ctnn::Tanh", 0, ""},
    {"relu", "ctnn::ReLU", 0, ""},
    {"softplus", "ctnn::Softplus", 0, ""},
    {"abs", "ctnn::Abs", 0, ""},
    {"binary_step", "ctnn::BinaryStep", 0, ""},
    {"linear", "ctnn::Linear", 0, ""},
    {"softmax", "ctnn::Softmax", 0, ""},
    {"leaky_relu", "ctnn::LeakyReLU", 1, "leaky_relu(1/100)"},
    {"elu", "ctnn::ELU", 1, "elu(1)"},
    {"swish", "ctnn::Swish", 1, "swish(1)"},
    {"prelu", "ctnn::PReLU", 1, "prelu(1/4)"},
    {"rrelu", "ctnn::RReLU", 2, "rrelu(1/8,1/3)"},
};

/// A decimal integer as std::to_string writes it: the whole of `text`, an optional '-' (for a
/// signed `Int`), no leading zeros, no "-0", within `Int`'s range. The writers spell every
/// value of `Int` (a ratio term of 19 digits, a size of 20), so the reader takes every one.
template <class Int>
std::optional<Int> parse_canonical_integer(std::string_view text) {
    Int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    // from_chars also takes "007" and "-0": one spelling per value keeps texts comparable.
    if (text.size() > 1 && (text[0] == '0' || (text[0] == '-' && text[1] == '0'))) return std::nullopt;
    return value;
}

/// A ratio spelt as by ratio_id() (reduced, positive denominator), as C++ code; nullopt
/// when `text` is not such a ratio.
inline std::optional<std::string> ratio_cpp_name_from_id(std::string_view text) {
    const std::size_t slash = text.find('/');
    const auto num = parse_canonical_integer<std::intmax_t>(text.substr(0, slash));
    // std::ratio needs |num| representable: not INTMAX_MIN.
    if (!num || *num == std::numeric_limits<std::intmax_t>::min()) return std::nullopt;
    std::intmax_t den = 1;
    if (slash != std::string_view::npos) {
        const auto parsed = parse_canonical_integer<std::intmax_t>(text.substr(slash + 1));
        if (!parsed || *parsed <= 1) return std::nullopt;
        den = *parsed;
    }
    std::intmax_t a = *num < 0 ? -*num : *num, b = den;  // the ratio must be reduced, as std::ratio is
    while (b != 0) a = std::exchange(b, a % b);
    if (a != 1) return std::nullopt;
    std::string cpp = "std::ratio<" + std::to_string(*num);
    if (den != 1) cpp += ", " + std::to_string(den);
    return cpp + '>';
}

/// The C++ spelling of a ctnn activation id; nullopt for an id ctnn does not define.
inline std::optional<std::string> activation_cpp_name_from_id(std::string_view id) {
    const std::size_t open = id.find('(');
    const std::string_view name = id.substr(0, open);
    for (const activation_template& t : activation_templates) {
        if (t.id != name) continue;
        if (t.ratios == 0) {
            return open == std::string_view::npos ? std::optional<std::string>(std::string(t.cpp_name)) : std::nullopt;
        }
        if (open == std::string_view::npos || id.back() != ')') return std::nullopt;
        std::string_view arguments = id.substr(open + 1, id.size() - open - 2);
        std::string cpp = std::string(t.cpp_name) + "::with<";
        for (std::size_t k = 0; k < t.ratios; ++k) {
            const std::size_t comma = arguments.find(',');
            if ((comma == std::string_view::npos) != (k + 1 == t.ratios)) return std::nullopt;
            const auto ratio = ratio_cpp_name_from_id(arguments.substr(0, comma));
            if (!ratio) return std::nullopt;
            cpp += (k == 0 ? "" : ", ") + *ratio;
            if (comma != std::string_view::npos) arguments.remove_prefix(comma + 1);
        }
        return id == t.default_id ? std::string(t.cpp_name) : cpp + '>';
    }
    return std::nullopt;
}

template <class T>
struct is_basic_network : std::false_type {};
template <class Arch, class T, class InputSpec, class... Layers>
struct is_basic_network<BasicNetwork<Arch, T, InputSpec, Layers...>> : std::true_type {};

}  // namespace detail

/// Anything declared as ctnn::Network<...> or ctnn::BasicNetwork<...>.
template <class Net>
concept NetworkType = detail::is_basic_network<std::remove_cv_t<Net>>::value;

/// The name of a scalar type in topology texts and C++: "float", "double" or "long double".
template <class T>
[[nodiscard]] std::string scalar_type_name() {
    if constexpr (std::is_same_v<T, float>) {
        return "float";
    } else if constexpr (std::is_same_v<T, double>) {
        return "double";
    } else if constexpr (std::is_same_v<T, long double>) {
        return "long double";
    } else {
        static_assert(detail::no_spelling_for<T>,
                      "ctnn::io::scalar_type_name<T>: T must be float, double or long double");
    }
}

/// One dense layer of a topology.
struct LayerTopology {
    std::size_t units = 0;
    /// The activation's id, e.g. `tanh` or `leaky_relu(1/10)`.
    std::string activation;

    friend bool operator==(const LayerTopology&, const LayerTopology&) = default;
};

/// What a network is, as data: scalar type, input size and its dense layers. Obtained from a
/// network type with ctnn::io::topology<Net>(), or from a text with Topology::parse().
struct Topology {
    /// "float", "double" or "long double".
    std::string scalar_type;
    std::size_t input_size = 0;
    std::vector<LayerTopology> layers;

    friend bool operator==(const Topology&, const Topology&) = default;

    /// The text form, e.g. `float;2;16:tanh;1:sigmoid`.
    [[nodiscard]] std::string text() const {
        std::string out = scalar_type + ';' + std::to_string(input_size);
        for (const LayerTopology& layer : layers) out += ';' + std::to_string(layer.units) + ':' + layer.activation;
        return out;
    }

    /// The network's C++ type, `ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ...>`;
    /// std::nullopt when an activation id is not one of ctnn's (a user-defined activation).
    [[nodiscard]] std::optional<std::string> cpp_type() const {
        std::string out = "ctnn::Network<" + scalar_type + ", ctnn::Input<" + std::to_string(input_size) + '>';
        for (const LayerTopology& layer : layers) {
            const auto activation = detail::activation_cpp_name_from_id(layer.activation);
            if (!activation) return std::nullopt;
            out += ", ctnn::Dense<" + std::to_string(layer.units) + ", " + *activation + '>';
        }
        return out + '>';
    }

    /// Reads a topology text. Ensures: the result's text() is `text`. std::nullopt when
    /// `text` is not a topology: an unknown scalar type, a size that is not a positive decimal
    /// number, no layers, or an activation id with characters other than lowercase letters,
    /// digits, '_', '(', ')', '/', ',' and '-'. Activation ids are not checked against
    /// ctnn's list here (cpp_type() does that).
    [[nodiscard]] static std::optional<Topology> parse(std::string_view text) {
        std::vector<std::string_view> fields;
        for (std::size_t start = 0;;) {
            const std::size_t end = text.find(';', start);
            fields.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
            if (end == std::string_view::npos) break;
            start = end + 1;
        }
        if (fields.size() < 3) return std::nullopt;
        Topology topology;
        if (fields[0] != "float" && fields[0] != "double" && fields[0] != "long double") return std::nullopt;
        topology.scalar_type = std::string(fields[0]);
        const auto inputs = detail::parse_canonical_integer<std::size_t>(fields[1]);
        if (!inputs || *inputs == 0) return std::nullopt;
        topology.input_size = *inputs;
        for (std::size_t k = 2; k < fields.size(); ++k) {
            const std::size_t colon = fields[k].find(':');
            if (colon == std::string_view::npos) return std::nullopt;
            const auto units = detail::parse_canonical_integer<std::size_t>(fields[k].substr(0, colon));
            const std::string_view activation = fields[k].substr(colon + 1);
            if (!units || *units == 0 || activation.empty()) return std::nullopt;
            for (char c : activation) {
                const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '(' ||
                                     c == ')' || c == '/' || c == ',' || c == '-';
                if (!allowed) return std::nullopt;
            }
            topology.layers.push_back({*units, std::string(activation)});
        }
        return topology;
    }
};

/// The topology of the network type `Net`.
template <NetworkType Net>
[[nodiscard]] Topology topology() {
    using layers = typename Net::layers;
    Topology out;
    out.scalar_type = scalar_type_name<typename Net::value_type>();
    out.input_size = Net::input_size;
    out.layers.reserve(layers::size);
    ctnn::detail::static_for<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        out.layers.push_back({L::output_size, activation_id<typename L::activation>()});
    });
    return out;
}

/// The topology text of `Net` (its signature in weights files), e.g. `float;2;16:tanh;1:sigmoid`.
template <NetworkType Net>
[[nodiscard]] std::string signature() {
    return topology<Net>().text();
}

/// The C++ type of `Net`, spelt as a user writes it:
/// `ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>`.
/// The instruction set of a ctnn::BasicNetwork is not part of it: parameters do not depend on it.
template <NetworkType Net>
[[nodiscard]] std::string cpp_type() {
    using layers = typename Net::layers;
    std::string out = "ctnn::Network<" + scalar_type_name<typename Net::value_type>() + ", ctnn::Input<" +
                      std::to_string(Net::input_size) + '>';
    ctnn::detail::static_for<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        out += ", ctnn::Dense<" + std::to_string(L::output_size) + ", " +
               activation_cpp_name<typename L::activation>() + '>';
    });
    return out + '>';
}

/// The C++ type of `net`'s type; see cpp_type<Net>().
template <NetworkType Net>
[[nodiscard]] std::string cpp_type(const Net& /*net*/) {
    return cpp_type<Net>();
}

/// How the requantizer `R` of a quantized network is spelt: `id()` in files, `cpp_name()` in C++ code. Specialised
/// for ctnn::FloatRequantizer and ctnn::FixedPointRequantizer.
template <class R>
struct RequantizerSpelling {
    static_assert(detail::no_spelling_for<R>,
                  "ctnn::io::RequantizerSpelling<R>: R has no file spelling; save, load and export quantized networks "
                  "of ctnn::FloatRequantizer or ctnn::FixedPointRequantizer");
    static std::string id();
    static std::string cpp_name();
};
template <>
struct RequantizerSpelling<FloatRequantizer> {
    static std::string id() { return "float"; }
    static std::string cpp_name() { return "ctnn::FloatRequantizer"; }
};
template <>
struct RequantizerSpelling<FixedPointRequantizer> {
    static std::string id() { return "fixed_point"; }
    static std::string cpp_name() { return "ctnn::FixedPointRequantizer"; }
};

namespace detail {

template <class T>
struct is_quantized_network : std::false_type {};
template <class Net, class R>
struct is_quantized_network<QuantizedNetwork<Net, R>> : std::true_type {};

/// The C++ name of a requantizer id; nullopt for an id ctnn does not define.
inline std::optional<std::string> requantizer_cpp_name_from_id(std::string_view id) {
    if (id == "float") return "ctnn::FloatRequantizer";
    if (id == "fixed_point") return "ctnn::FixedPointRequantizer";
    return std::nullopt;
}

/// A quantized network's text split into its requantizer id and the float network's text; nullopt for a text
/// without the `quantized(<id>);` prefix.
struct quantized_text_parts {
    std::string_view requantizer;
    std::string_view network;
};
inline std::optional<quantized_text_parts> split_quantized_text(std::string_view text) {
    constexpr std::string_view prefix = "quantized(";
    const std::size_t close = text.find(");");
    if (text.substr(0, prefix.size()) != prefix || close == std::string_view::npos) return std::nullopt;
    return quantized_text_parts{text.substr(prefix.size(), close - prefix.size()), text.substr(close + 2)};
}

}  // namespace detail

/// Anything declared as ctnn::QuantizedNetwork<...>.
template <class Q>
concept QuantizedNetworkType = detail::is_quantized_network<std::remove_cv_t<Q>>::value;

/// The topology text of the quantized network `Q`, e.g. `quantized(float);float;2;16:tanh;1:sigmoid`.
template <QuantizedNetworkType Q>
[[nodiscard]] std::string signature() {
    return "quantized(" + RequantizerSpelling<typename Q::requantizer_type>::id() + ");" +
           signature<typename Q::network_type>();
}

/// The C++ type of `Q`: `ctnn::QuantizedNetwork<ctnn::Network<float, ...>, ctnn::FloatRequantizer>`.
template <QuantizedNetworkType Q>
[[nodiscard]] std::string cpp_type() {
    return "ctnn::QuantizedNetwork<" + cpp_type<typename Q::network_type>() + ", " +
           RequantizerSpelling<typename Q::requantizer_type>::cpp_name() + '>';
}

/// A 16-bit floating-point format of network weights, as weights files and C++ spell it. A network of such weights
/// stores each weight in 2 bytes and its biases and PReLU slopes as float, and has the members of
/// ctnn::BFloat16Network and ctnn::Float16Network that io uses: network_type (the float network), weight_count,
/// float_parameter_count, read_parameters / write_parameters / from_parameters of (weights as std::uint16_t bit
/// patterns, float parameters), whatever type it stores a weight as. Another format plugs in with a Weights16Format
/// of its own (a new scalar code), an entry in weights16_formats and a Weights16Spelling specialisation.
struct Weights16Format {
    unsigned scalar_code;           ///< byte 12 of its weights files (ctnn/io/weights.hpp)
    std::string_view id;            ///< the topology text's first field: `bfloat16;float;2;...`
    std::string_view cpp_template;  ///< the network's class template, e.g. `ctnn::BFloat16Network`
};

/// bfloat16 weights (ctnn::BFloat16Network): scalar code 0x12. A code's low 4 bits are the bytes of one value, its
/// high 4 bits tell formats of one size apart: 0 for IEEE 754 binary16, binary32 and binary64 (2, 4, 8) and int8 (1:
/// a quantized network, ctnn/io/quantized_weights.hpp), 1 for bfloat16.
inline constexpr Weights16Format bfloat16_weights{0x12, "bfloat16", "ctnn::BFloat16Network"};

/// IEEE 754 binary16 weights (ctnn::Float16Network): scalar code 2, binary16 as 4 and 8 are binary32 and binary64.
inline constexpr Weights16Format float16_weights{0x02, "float16", "ctnn::Float16Network"};

/// Every 16-bit weight format, for readers that meet any of them.
inline constexpr Weights16Format weights16_formats[] = {bfloat16_weights, float16_weights};

/// The 16-bit weight format of the network type `N`, as `format`; none (no member) for other types.
template <class N>
struct Weights16Spelling {};
template <class Net>
struct Weights16Spelling<BFloat16Network<Net>> {
    static constexpr const Weights16Format& format = bfloat16_weights;
};
template <class Net>
struct Weights16Spelling<Float16Network<Net>> {
    static constexpr const Weights16Format& format = float16_weights;
};

/// A network of 16-bit floating-point weights: anything declared as ctnn::BFloat16Network<...> or
/// ctnn::Float16Network<...>.
template <class N>
concept Weights16NetworkType = requires {
    Weights16Spelling<std::remove_cv_t<N>>::format;
};

/// The topology text of a network of 16-bit weights, e.g. `bfloat16;float;2;16:tanh;1:sigmoid`.
template <Weights16NetworkType N>
[[nodiscard]] std::string signature() {
    return std::string(Weights16Spelling<N>::format.id) + ';' + signature<typename N::network_type>();
}

/// The C++ type of a network of 16-bit weights: `ctnn::BFloat16Network<ctnn::Network<float, ...>>`,
/// `ctnn::Float16Network<ctnn::Network<float, ...>>`.
template <Weights16NetworkType N>
[[nodiscard]] std::string cpp_type() {
    return std::string(Weights16Spelling<N>::format.cpp_template) + '<' + cpp_type<typename N::network_type>() + '>';
}

namespace detail {

/// A 16-bit weight network's text split into its format and the float network's text; nullopt for a text without a
/// format's `<id>;` prefix.
struct weights16_text_parts {
    const Weights16Format* format;
    std::string_view network;
};
inline std::optional<weights16_text_parts> split_weights16_text(std::string_view text) {
    for (const Weights16Format& format : weights16_formats) {
        if (text.size() > format.id.size() && text.substr(0, format.id.size()) == format.id &&
            text[format.id.size()] == ';') {
            return weights16_text_parts{&format, text.substr(format.id.size() + 1)};
        }
    }
    return std::nullopt;
}

}  // namespace detail

/// A C++ type as in messages: `ctnn::` only at the front,
/// `ctnn::Network<float, Input<2>, Dense<8, Tanh>, Dense<1, Sigmoid>>`.
[[nodiscard]] inline std::string short_cpp_type(std::string_view cpp_type) {
    constexpr std::string_view prefix = "ctnn::";
    std::string out;
    out.reserve(cpp_type.size());
    for (std::size_t k = 0; k < cpp_type.size();) {
        if (k != 0 && cpp_type.substr(k, prefix.size()) == prefix) {
            k += prefix.size();
        } else {
            out += cpp_type[k++];
        }
    }
    return out;
}

}  // namespace ctnn::io
