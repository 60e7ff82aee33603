// Fuzz target for the topology-text parser (ctnn::io::Topology::parse in ctnn/io/signature.hpp), which reads the text
// of every weights file before its checksum is trusted. The input is the text. These must hold:
//
// - the parser accepts exactly what an independent reading of the grammar in signature.hpp accepts, with the same
//   fields: `<scalar>;<inputs>;<units>:<activation id>;...`, the scalar float, double or long double, every size a
//   positive size_t written as std::to_string writes it, at least one layer, activation ids of [a-z0-9_()/,-];
// - what it accepts prints back (text()) to the input, and that text parses to the same topology;
// - cpp_type() is the C++ type that the ids name, as ActivationSpelling spells each activation and std::ratio bounds
//   each ratio (any std::intmax_t but its minimum, reduced, written as std::to_string writes it); nullopt exactly when
//   an id names no ctnn activation;
// - the topology difference used in weights-file messages is empty exactly when the inputs and layers agree.
//
// Once per process it also checks the other direction: the texts ctnn writes for real networks, including ratios of
// 19 digits, parse back to their topology and C++ type.

#include <ctnn/io/signature.hpp>
#include <ctnn/io/weights.hpp>

#include "fuzz/fuzz_target.hpp"
#include "fuzz/weights_networks.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace {

using ctnn::io::LayerTopology;
using ctnn::io::Topology;

/// `text` as a value of `Int` when it is exactly how std::to_string writes that value (no '+', no leading zeros, no
/// "-0"), within Int's range.
template <class Int>
std::optional<Int> canonical_integer(std::string_view text) {
    Int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || std::to_string(value) != text) return std::nullopt;
    return value;
}

/// Splits `text` at every `separator`, keeping empty fields.
std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> fields;
    for (;;) {
        const std::size_t at = text.find(separator);
        fields.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return fields;
        text.remove_prefix(at + 1);
    }
}

std::optional<Topology> expected_parse(std::string_view text) {
    const std::vector<std::string_view> fields = split(text, ';');
    if (fields.size() < 3) return std::nullopt;
    if (fields[0] != "float" && fields[0] != "double" && fields[0] != "long double") return std::nullopt;
    const auto inputs = canonical_integer<std::size_t>(fields[1]);
    if (!inputs || *inputs == 0) return std::nullopt;
    Topology topology{std::string(fields[0]), *inputs, {}};
    for (std::size_t k = 2; k < fields.size(); ++k) {
        const std::size_t colon = fields[k].find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        const auto units = canonical_integer<std::size_t>(fields[k].substr(0, colon));
        const std::string_view id = fields[k].substr(colon + 1);
        if (!units || *units == 0 || id.empty()) return std::nullopt;
        if (id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_()/,-") != std::string_view::npos) {
            return std::nullopt;
        }
        topology.layers.push_back(LayerTopology{*units, std::string(id)});
    }
    return topology;
}

/// `std::ratio<n>` or `std::ratio<n, d>` for a ratio id `n` or `n/d`.
std::optional<std::string> expected_ratio(std::string_view text) {
    const std::size_t slash = text.find('/');
    const auto num = canonical_integer<std::intmax_t>(text.substr(0, slash));
    // std::ratio's arguments must have representable absolute values: INTMAX_MIN's has not.
    if (!num || *num == INTMAX_MIN) return std::nullopt;
    if (slash == std::string_view::npos) return "std::ratio<" + std::to_string(*num) + '>';
    const auto den = canonical_integer<std::intmax_t>(text.substr(slash + 1));
    // Reduced, with a denominator above 1 (a denominator of 1 is not written).
    if (!den || *den <= 1 || std::gcd(*num, *den) != 1) return std::nullopt;
    return "std::ratio<" + std::to_string(*num) + ", " + std::to_string(*den) + '>';
}

/// An activation as ActivationSpelling spells it, from the type users name (for a parametric activation, the one with
/// the default ratios): its id up to '(', its C++ name, its ratio count and its whole id (the default ratios').
struct Spelling {
    std::string id;
    std::string cpp_name;
    std::size_t ratios = 0;
    std::string default_id;
};

template <class Act>
Spelling spelling(std::size_t ratios) {
    const std::string id = ctnn::io::activation_id<Act>();
    return {id.substr(0, id.find('(')), ctnn::io::activation_cpp_name<Act>(), ratios, id};
}

const std::vector<Spelling>& spellings() {
    static const std::vector<Spelling> all = {
        spelling<ctnn::Sigmoid>(0),  spelling<ctnn::Tanh>(0),    spelling<ctnn::ReLU>(0),
        spelling<ctnn::Softplus>(0), spelling<ctnn::Abs>(0),     spelling<ctnn::BinaryStep>(0),
        spelling<ctnn::Linear>(0),   spelling<ctnn::Softmax>(0), spelling<ctnn::LeakyReLU>(1),
        spelling<ctnn::ELU>(1),      spelling<ctnn::Swish>(1),   spelling<ctnn::PReLU>(1),
        spelling<ctnn::RReLU>(2),
    };
    return all;
}

std::optional<std::string> expected_activation(std::string_view id) {
    for (const Spelling& s : spellings()) {
        if (s.ratios == 0) {
            if (id == s.id) return s.cpp_name;
            continue;
        }
        if (!id.starts_with(s.id + '(') || !id.ends_with(')')) continue;
        const std::vector<std::string_view> arguments =
            split(id.substr(s.id.size() + 1, id.size() - s.id.size() - 2), ',');
        if (arguments.size() != s.ratios) return std::nullopt;
        // The default ratios are spelt by the name alone, others by `Name::with<...>`.
        std::string cpp = s.cpp_name + "::with<";
        for (std::size_t k = 0; k < arguments.size(); ++k) {
            const auto ratio = expected_ratio(arguments[k]);
            if (!ratio) return std::nullopt;
            cpp += (k == 0 ? "" : ", ") + *ratio;
        }
        return id == s.default_id ? s.cpp_name : cpp + '>';
    }
    return std::nullopt;
}

std::optional<std::string> expected_cpp_type(const Topology& topology) {
    std::string cpp =
        "ctnn::Network<" + topology.scalar_type + ", ctnn::Input<" + std::to_string(topology.input_size) + '>';
    for (const LayerTopology& layer : topology.layers) {
        const auto activation = expected_activation(layer.activation);
        if (!activation) return std::nullopt;
        cpp += ", ctnn::Dense<" + std::to_string(layer.units) + ", " + *activation + '>';
    }
    return cpp + '>';
}

/// The texts ctnn writes for these networks read back to their topologies and C++ types; a quantized network's is
/// `quantized(<requantizer id>);` and its float network's text, a bfloat16 network's `bfloat16;` and its float
/// network's, a binary16 network's `float16;` and its float network's.
template <class Net>
void check_written(ctnn_fuzz::named_network<Net> = {}) {
    if constexpr (ctnn::io::QuantizedNetworkType<Net>) {
        using Float = typename Net::network_type;
        const std::string text = ctnn::io::signature<Net>();
        const auto parts = ctnn::io::detail::split_quantized_text(text);
        CTNN_FUZZ_CHECK(parts && parts->network == ctnn::io::signature<Float>() &&
                            parts->requantizer == ctnn::io::RequantizerSpelling<typename Net::requantizer_type>::id() &&
                            !Topology::parse(text),
                        "a quantized network's signature is not its requantizer's and its float network's");
        check_written<Float>();
    } else if constexpr (ctnn::io::Weights16NetworkType<Net>) {
        using Float = typename Net::network_type;
        constexpr bool binary16 = std::is_same_v<Net, ctnn::Float16Network<Float>>;
        const ctnn::io::Weights16Format& format = binary16 ? ctnn::io::float16_weights : ctnn::io::bfloat16_weights;
        const std::string text = ctnn::io::signature<Net>();
        const auto parts = ctnn::io::detail::split_weights16_text(text);
        CTNN_FUZZ_CHECK(parts && parts->network == ctnn::io::signature<Float>() &&
                            parts->format->scalar_code == format.scalar_code &&
                            text.starts_with(binary16 ? "float16;" : "bfloat16;") && !Topology::parse(text),
                        "a 16-bit network's signature is not its format's id and its float network's");
        CTNN_FUZZ_CHECK(
            ctnn::io::cpp_type<Net>() == std::string(binary16 ? "ctnn::Float16Network<" : "ctnn::BFloat16Network<") +
                                             ctnn::io::cpp_type<Float>() + '>',
            "a 16-bit network's C++ type is not its format's class template of its float network's");
        check_written<Float>();
    } else {
        const auto parsed = Topology::parse(ctnn::io::signature<Net>());
        CTNN_FUZZ_CHECK(parsed && *parsed == ctnn::io::topology<Net>(), "a signature ctnn writes does not parse back");
        CTNN_FUZZ_CHECK(parsed->cpp_type() == ctnn::io::cpp_type<Net>(),
                        "a signature ctnn writes does not give back its C++ type");
        CTNN_FUZZ_CHECK(expected_cpp_type(*parsed) == ctnn::io::cpp_type<Net>(),
                        "the test's own reading of a signature ctnn writes is wrong");
    }
}

constexpr std::intmax_t intmax = INTMAX_MAX;
using Extremes =
    ctnn::Network<double, ctnn::Input<1>, ctnn::Dense<1, ctnn::LeakyReLU::with<std::ratio<-1, 1000000000000000000>>>,
                  ctnn::Dense<1, ctnn::ELU::with<std::ratio<intmax, 2>>>,
                  ctnn::Dense<1, ctnn::Swish::with<std::ratio<-intmax>>>,
                  ctnn::Dense<1, ctnn::RReLU::with<std::ratio<1, 1000000000000000000>, std::ratio<1, 3>>>>;

void check_all_written() {
    ctnn_fuzz::for_each_weights_network([](auto n) { check_written(n); });
    check_written<Extremes>();
}

const Topology& reference_topology() {
    static const Topology topology = ctnn::io::topology<ctnn_fuzz::Rectifiers>();
    return topology;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool written_checked = (check_all_written(), true);
    static_cast<void>(written_checked);

    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::optional<Topology> parsed = Topology::parse(text);
    CTNN_FUZZ_CHECK(parsed == expected_parse(text), "Topology::parse disagrees with the grammar");
    ctnn_fuzz::accepted = parsed.has_value();

    // Messages about a weights file describe its text whatever it holds.
    CTNN_FUZZ_CHECK(!ctnn::io::detail::describe_topology_text(text).empty(), "an empty description of a topology");
    const std::string difference = ctnn::io::detail::topology_difference(text, reference_topology());
    if (!parsed) {
        CTNN_FUZZ_CHECK(difference.empty(), "a difference to a text that is no topology");
        return 0;
    }

    CTNN_FUZZ_CHECK(parsed->text() == text, "a parsed topology prints back to another text");
    CTNN_FUZZ_CHECK(Topology::parse(parsed->text()) == parsed, "a printed topology parses to another topology");

    const std::optional<std::string> cpp = parsed->cpp_type();
    CTNN_FUZZ_CHECK(cpp == expected_cpp_type(*parsed), "cpp_type() disagrees with the activations' spellings");
    if (cpp) {
        const std::string short_type = ctnn::io::short_cpp_type(*cpp);
        CTNN_FUZZ_CHECK(short_type.starts_with("ctnn::Network<") && short_type.find("ctnn::", 1) == std::string::npos,
                        "short_cpp_type() keeps a ctnn:: past the front");
    }

    const bool same_shape =
        parsed->input_size == reference_topology().input_size && parsed->layers == reference_topology().layers;
    CTNN_FUZZ_CHECK(difference.empty() == same_shape, "the topology difference in messages is wrong");
    return 0;
}
