// The C++ side of the weights-reader test (tests/interop/weights_reader_test.py): writes weights files of every
// scalar type with ctnn::io::save (and a version-1 file of the network with FixedPointRequantizer, which saves version
// 2: tests/support/quantized_weights_v1.hpp), and beside each the fields the file must hold as the C++ network has
// them, for tools/ctnn_io.py's read_weights_file to be compared against.
//
//   write_weights_files <directory>
//   write_weights_files <directory> check <name> <file>   loads <file> into the network of <name> with io::load and
//                                                         prints the Status kind (ok, truncated, ...) and message
//
// writes <name>.ctnn and <name>.fields for each network below. A .fields file has one line per field, the field's name
// then its values as integers, every float as its IEEE 754 bits (exact, NaN payloads included):
//   code <scalar code>
//   version <format version>
//   text <topology text>
//   parameters <bits ...>                                      float, double: every parameter, canonical order
//   input_qparams <scale bits> <zero point>                    quantized
//   layer <i> linear_qparams|output_qparams <scale bits> <zero point>
//   layer <i> weight_scales|bias|weights|table <values ...>    weights [out][in] without padding; table if any;
//                                                              weight scales where the file holds them (version 1)
//   layer <i> multipliers <float bits ...> | <multiplier shift ...>
//   layer <i> weight_bits|weight_float_bits|bias_bits|slope_bits <values ...>
//                                                              bfloat16, float16: weights' patterns, the weights
//                                                              widened (to_float()), biases' and slopes' bits

#include <ctnn/ctnn.hpp>
#include <ctnn/io/quantized_weights.hpp>
#include <ctnn/io/weights.hpp>
#include <ctnn/io/weights16.hpp>

#include "support/quantized_weights_v1.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace {

using ctnn::Dense;
using ctnn::Input;

using FloatNet = ctnn::Network<float, Input<3>, Dense<5, ctnn::PReLU>, Dense<4, ctnn::Tanh>, Dense<2, ctnn::Softmax>>;
using DoubleNet =
    ctnn::Network<double, Input<2>, Dense<3, ctnn::LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, ctnn::Sigmoid>>;
using QuantNet = ctnn::Network<float, Input<4>, Dense<6, ctnn::Tanh>, Dense<5, ctnn::ReLU>, Dense<3, ctnn::Sigmoid>>;
using QFloat = ctnn::QuantizedNetwork<QuantNet, ctnn::FloatRequantizer>;
using QFixed = ctnn::QuantizedNetwork<QuantNet, ctnn::FixedPointRequantizer>;
using BF16 = ctnn::BFloat16Network<FloatNet>;
using F16 = ctnn::Float16Network<FloatNet>;

template <class T>
std::uint64_t bits(T value) {
    if constexpr (sizeof(T) == 4) {
        return std::bit_cast<std::uint32_t>(value);
    } else {
        return std::bit_cast<std::uint64_t>(value);
    }
}

template <class Range, class F>
void line(std::FILE* out, const std::string& name, const Range& values, F f) {
    std::fprintf(out, "%s", name.c_str());
    for (const auto& v : values) std::fprintf(out, " %s", std::to_string(f(v)).c_str());
    std::fprintf(out, "\n");
}

template <class Net>
Net random_network(std::uint64_t seed) {
    Net net;
    ctnn::Random random(seed);
    ctnn::init::normal_inverse_fan_in(net, random);
    using T = typename Net::value_type;
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        if (net.parameter(k) == T(0.25)) net.set_parameter(k, random.uniform<T>(T(0.05), T(0.5)));
    }
    return net;
}

/// A float or double network: its parameters; the first few special values that must survive bit for bit.
template <class Net>
void fields(std::FILE* out, const Net& net) {
    using T = typename Net::value_type;
    std::vector<T> p(Net::parameter_count);
    net.read_parameters(std::span<T, Net::parameter_count>(p.data(), p.size()));
    line(out, "parameters", p, [](T v) { return bits(v); });
}

/// A quantized network; `scales(i, o)` the weight scale of unit o of layer i where its file holds them (an empty
/// optional otherwise).
template <ctnn::io::QuantizedNetworkType Q, class Scales>
void fields(std::FILE* out, const Q& q, Scales scales) {
    std::fprintf(out, "input_qparams %lld %d\n", static_cast<long long>(bits(q.input_qparams().scale)),
                 q.input_qparams().zero_point);
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        const auto& layer = q.template layer<i>();
        const std::string at = "layer " + std::to_string(i) + ' ';
        std::fprintf(out, "%slinear_qparams %lld %d\n", at.c_str(),
                     static_cast<long long>(bits(layer.linear_qparams.scale)), layer.linear_qparams.zero_point);
        std::fprintf(out, "%soutput_qparams %lld %d\n", at.c_str(),
                     static_cast<long long>(bits(layer.output_qparams.scale)), layer.output_qparams.zero_point);
        if (scales(i, 0)) {
            std::vector<std::uint64_t> s;
            for (std::size_t o = 0; o < L::output_size; ++o) s.push_back(bits(*scales(i, o)));
            line(out, at + "weight_scales", s, [](std::uint64_t v) { return v; });
        }
        line(out, at + "bias", layer.bias, [](std::int32_t v) { return v; });
        if constexpr (std::is_same_v<typename Q::requantizer_type, ctnn::FloatRequantizer>) {
            line(out, at + "multipliers", layer.multipliers, [](float v) { return bits(v); });
        } else {
            std::vector<std::int64_t> m;
            for (const auto& v : layer.multipliers) {
                m.push_back(v.multiplier);
                m.push_back(v.shift);
            }
            line(out, at + "multipliers", m, [](std::int64_t v) { return v; });
        }
        std::vector<int> w;
        for (std::size_t o = 0; o < L::output_size; ++o) {
            for (std::size_t k = 0; k < L::input_size; ++k) w.push_back(layer.weights(o, k));
        }
        line(out, at + "weights", w, [](int v) { return v; });
        if constexpr (L::has_lookup_table)
            line(out, at + "table", layer.lookup_table, [](std::uint8_t v) { return v; });
    });
}

/// A network of 16-bit weights: per layer the weights' patterns (read_parameters), the weights as to_float() widens
/// them (exactly; a NaN quiet), the biases' and slopes' bits (to_float(), in the float network's layout).
template <ctnn::io::Weights16NetworkType N>
void fields(std::FILE* out, const N& net) {
    using Net = typename N::network_type;
    const Net widened = net.to_float();
    std::vector<std::uint16_t> patterns(N::weight_count);
    std::vector<float> others(N::float_parameter_count);
    net.read_parameters(std::span<std::uint16_t, N::weight_count>(patterns.data(), patterns.size()),
                        std::span<float, N::float_parameter_count>(others.data(), others.size()));
    std::size_t k = 0, n = 0;
    ctnn::detail::static_for<Net::layer_count>([&](auto i) {
        using L = typename Net::layers::template at<i>;
        const std::string at = "layer " + std::to_string(i) + ' ';
        std::vector<std::uint64_t> w, wf, b, s;
        for (std::size_t j = 0; j < L::input_size * L::output_size; ++j) {
            w.push_back(patterns[n++]);
            wf.push_back(bits(widened.parameter(k++)));
        }
        for (std::size_t j = 0; j < L::output_size; ++j) b.push_back(bits(widened.parameter(k++)));
        if constexpr (L::learned_slope) {
            for (std::size_t j = 0; j < L::output_size; ++j) s.push_back(bits(widened.parameter(k++)));
        }
        line(out, at + "weight_bits", w, [](std::uint64_t v) { return v; });
        line(out, at + "weight_float_bits", wf, [](std::uint64_t v) { return v; });
        line(out, at + "bias_bits", b, [](std::uint64_t v) { return v; });
        if (!s.empty()) line(out, at + "slope_bits", s, [](std::uint64_t v) { return v; });
    });
}

/// `rounded` with `specials` as its first weights and a negative NaN with a payload as its first bias: patterns no
/// rounding gives (signalling NaNs'), infinities, -0, subnormals.
template <ctnn::io::Weights16NetworkType N>
N with_specials(const N& rounded, std::span<const std::uint16_t> specials) {
    std::vector<std::uint16_t> w(N::weight_count);
    std::vector<float> f(N::float_parameter_count);
    rounded.read_parameters(std::span<std::uint16_t, N::weight_count>(w.data(), w.size()),
                            std::span<float, N::float_parameter_count>(f.data(), f.size()));
    std::copy(specials.begin(), specials.end(), w.begin());
    f[0] = std::bit_cast<float>(0xffc00007u);
    return N::from_parameters(std::span<const std::uint16_t, N::weight_count>(w.data(), w.size()),
                              std::span<const float, N::float_parameter_count>(f.data(), f.size()));
}

/// Writes <name>.fields for `bytes`, the file of `net`, and its fields (`write_fields(out)`).
template <class Net, class WriteFields>
bool write_fields(const std::filesystem::path& directory, const std::string& name, std::span<const std::byte> bytes,
                  WriteFields write_fields) {
    std::FILE* out = std::fopen((directory / (name + ".fields")).string().c_str(), "w");
    if (out == nullptr) return false;
    std::fprintf(out, "code %u\n", std::to_integer<unsigned>(bytes[12]));
    std::fprintf(out, "version %u\n", std::to_integer<unsigned>(bytes[8]));
    std::fprintf(out, "text %s\n", ctnn::io::signature<Net>().c_str());
    write_fields(out);
    return std::fclose(out) == 0;
}

template <class Net>
bool write(const std::filesystem::path& directory, const std::string& name, const Net& net) {
    const ctnn::io::Status status = ctnn::io::save(net, directory / (name + ".ctnn"));
    if (!status) {
        std::fprintf(stderr, "write_weights_files: %s\n", status.message().c_str());
        return false;
    }
    return write_fields<Net>(directory, name, ctnn::io::to_weights_bytes(net), [&](std::FILE* out) {
        if constexpr (ctnn::io::QuantizedNetworkType<Net>) {
            fields(out, net, [&](auto i, std::size_t o) -> std::optional<float> {
                using L = typename Net::template layer_type<i>;
                if constexpr (L::has_weight_scales) {
                    return net.template layer<i>().weight_scales[o];
                } else {
                    return std::nullopt;
                }
            });
        } else {
            fields(out, net);
        }
    });
}

/// Writes <name>.ctnn, a version-1 file of `fixed` (which saves version 2) with the weight scales of `twin` (the same
/// float network quantized alike with FloatRequantizer), and <name>.fields.
bool write_version_1(const std::filesystem::path& directory, const std::string& name, const QFixed& fixed,
                     const QFloat& twin) {
    const auto scale = [&](auto i, std::size_t o) -> std::optional<float> {
        return twin.template layer<i>().weight_scales[o];
    };
    const std::vector<std::byte> bytes =
        ctnn_test::version_1_weights_bytes(fixed, [&](auto i, std::size_t o) { return *scale(i, o); });
    std::FILE* file = std::fopen((directory / (name + ".ctnn")).string().c_str(), "wb");
    if (file == nullptr) return false;
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    if (std::fclose(file) != 0 || !written) return false;
    return write_fields<QFixed>(directory, name, bytes, [&](std::FILE* out) { fields(out, fixed, scale); });
}

template <class Q>
Q quantized(std::uint64_t seed) {
    const QuantNet net = random_network<QuantNet>(seed);
    std::vector<QuantNet::input_type> calibration(64);
    ctnn::Random random(seed);
    for (auto& x : calibration) {
        for (float& v : x) v = random.normal<float>(0.0f, 1.5f);
    }
    return ctnn::quantize<typename Q::requantizer_type>(net, std::span<const QuantNet::input_type>(calibration));
}

template <class Net>
int check(const std::filesystem::path& file) {
    static Net net;
    const ctnn::io::Status status = ctnn::io::load(net, file);
    std::printf("%s %s\n", std::string(ctnn::io::to_string(status.kind())).c_str(), status.message().c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 && !(argc == 5 && std::strcmp(argv[2], "check") == 0)) {
        std::fprintf(stderr, "usage: write_weights_files <directory> [check <name> <file>]\n");
        return 2;
    }
    const std::filesystem::path directory = argv[1];
    if (argc == 5) {
        const std::string name = argv[3];
        if (name == "float") return check<FloatNet>(argv[4]);
        if (name == "double") return check<DoubleNet>(argv[4]);
        if (name == "quantized_float") return check<QFloat>(argv[4]);
        if (name == "quantized_fixed_point" || name == "quantized_fixed_point_v1") return check<QFixed>(argv[4]);
        if (name == "bfloat16" || name == "bfloat16_specials") return check<BF16>(argv[4]);
        if (name == "float16" || name == "float16_specials") return check<F16>(argv[4]);
        std::fprintf(stderr, "write_weights_files: unknown network '%s'\n", name.c_str());
        return 2;
    }
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);

    FloatNet float_net = random_network<FloatNet>(1);
    // Values a reader must carry bit for bit: a NaN with a payload, -0, the smallest subnormal.
    float_net.set_parameter(0, std::bit_cast<float>(0x7fc00005u));
    float_net.set_parameter(1, -0.0f);
    float_net.set_parameter(2, std::numeric_limits<float>::denorm_min());
    const BF16 rounded(random_network<FloatNet>(3));
    const std::uint16_t bfloat16_specials[] = {0x7f81, 0xffc1, 0x7f80, 0xff80, 0x8000, 0x0001};
    // float16: a signalling NaN's pattern, a negative quiet NaN with a payload, infinities, -0, the smallest and the
    // largest subnormal, the largest finite value (65504).
    const F16 rounded16(random_network<FloatNet>(6));
    const std::uint16_t float16_specials[] = {0x7c01, 0xfe01, 0x7c00, 0xfc00, 0x8000, 0x0001, 0x03ff, 0x7bff};

    const bool ok =
        write(directory, "float", float_net) && write(directory, "double", random_network<DoubleNet>(2)) &&
        write(directory, "quantized_float", quantized<QFloat>(4)) &&
        write(directory, "quantized_fixed_point", quantized<QFixed>(5)) &&
        write_version_1(directory, "quantized_fixed_point_v1", quantized<QFixed>(5), quantized<QFloat>(5)) &&
        write(directory, "bfloat16", rounded) &&
        write(directory, "bfloat16_specials", with_specials(rounded, bfloat16_specials)) &&
        write(directory, "float16", rounded16) &&
        write(directory, "float16_specials", with_specials(rounded16, float16_specials));
    if (ok) std::printf("write_weights_files: wrote 9 files to %s\n", argv[1]);
    return ok ? 0 : 1;
}
