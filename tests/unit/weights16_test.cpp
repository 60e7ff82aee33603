// Tests of ctnn/io/weights16.hpp and of export_header for networks of 16-bit weights (ctnn::BFloat16Network,
// ctnn::Float16Network), each test once per format: the weights file's layout (every value at the offset the layout
// gives, each weight's pattern decoded here from the format's definition and compared with the float network's
// parameter rounded by an independent reference), its round trip (every bit, NaN, infinity and subnormal patterns
// included, and the outputs), every way a load can fail (each leaving the network unchanged), refusals between float,
// bfloat16 and binary16 files, and the exported header's text.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>
#include <ctnn/io/quantized_weights.hpp>
#include <ctnn/io/weights.hpp>
#include <ctnn/io/weights16.hpp>

#include "support/bfloat16_reference.hpp"
#include "support/float16_reference.hpp"
#include "support/parameter_bits.hpp"
#include "support/weights_files.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

using namespace ctnn;
using Kind = io::Status::Kind;
using ctnn_test::bits_of;
using ctnn_test::parameter_bits;
using ctnn_test::read_bytes;
using ctnn_test::reseal;
using ctnn_test::TemporaryDirectory;
using ctnn_test::write_bytes;

namespace {

// PReLU (slopes: float parameters after the bias), a one-output layer (its weights one row), Softmax.
using PreluNet = Network<float, Input<3>, Dense<5, PReLU>, Dense<4, Tanh>, Dense<1, Sigmoid>>;
using OtherNet = Network<float, Input<3>, Dense<5, PReLU>, Dense<4, ReLU>, Dense<1, Sigmoid>>;
using SoftmaxNet = Network<float, Input<6>, Dense<7, ReLU>, Dense<3, Softmax>>;
// PreluNet's type as messages spell it after their first `ctnn::`.
constexpr std::string_view prelu_type = "Network<float, Input<3>, Dense<5, PReLU>, Dense<4, Tanh>, Dense<1, Sigmoid>>";

/// The value of the 16-bit pattern `p` of a format of `fraction_bits` stored fraction bits (1 sign bit, the rest
/// exponent, IEEE 754's encoding), from the definition: +-0.m 2^(1 - bias) (subnormal), +-1.m 2^(e - bias),
/// +-infinity or NaN.
float decode16(std::uint16_t p, int fraction_bits) {
    const int exponent_bits = 15 - fraction_bits;
    const int bias = (1 << (exponent_bits - 1)) - 1;
    const unsigned all_ones = (1u << exponent_bits) - 1;
    const unsigned e = (p >> fraction_bits) & all_ones, m = p & ((1u << fraction_bits) - 1);
    long double magnitude = 0;
    if (e == all_ones) {
        magnitude =
            m == 0 ? std::numeric_limits<long double>::infinity() : std::numeric_limits<long double>::quiet_NaN();
    } else if (e == 0) {
        magnitude = std::ldexp(static_cast<long double>(m), 1 - bias - fraction_bits);
    } else {
        magnitude =
            std::ldexp(static_cast<long double>((1u << fraction_bits) + m), static_cast<int>(e) - bias - fraction_bits);
    }
    return static_cast<float>((p & 0x8000u) != 0 ? -magnitude : magnitude);
}

struct Float16Format;

/// bfloat16 (ctnn::BFloat16Network): what the tests expect of its files, and patterns to build networks from.
struct BFloat16Format {
    template <class Net>
    using network = BFloat16Network<Net>;
    using other = Float16Format;
    static constexpr std::string_view id = "bfloat16", cpp_template = "ctnn::BFloat16Network";
    static constexpr std::byte code{0x12};
    static constexpr int fraction_bits = 7;
    static float reference(float value) { return ctnn_test::reference_bfloat16(value); }
    static std::uint16_t round(float value) { return round_to_bfloat16(value); }
    /// Patterns no rounding gives (signalling and negative NaNs with payloads), infinities, -0, the smallest
    /// subnormal, the largest finite value.
    static constexpr std::array<std::uint16_t, 7> specials = {0x7f81, 0xffc1, 0x7f80, 0xff80, 0x8000, 0x0001, 0x7f7f};
    /// 1, -1, 2, -2, 3, -3, 4, -4, 5.
    static constexpr std::array<std::uint16_t, 9> small_integers = {0x3f80, 0xbf80, 0x4000, 0xc000, 0x4040,
                                                                    0xc040, 0x4080, 0xc080, 0x40a0};
};

/// IEEE 754 binary16 (ctnn::Float16Network), as BFloat16Format.
struct Float16Format {
    template <class Net>
    using network = Float16Network<Net>;
    using other = BFloat16Format;
    static constexpr std::string_view id = "float16", cpp_template = "ctnn::Float16Network";
    static constexpr std::byte code{0x02};
    static constexpr int fraction_bits = 10;
    static float reference(float value) { return ctnn_test::reference_float16(value); }
    static std::uint16_t round(float value) { return round_to_float16(value); }
    /// A signalling NaN's pattern, a negative quiet NaN with a payload, infinities, -0, the smallest and the largest
    /// subnormal, the largest finite value (65504).
    static constexpr std::array<std::uint16_t, 8> specials = {0x7c01, 0xfe01, 0x7c00, 0xfc00,
                                                              0x8000, 0x0001, 0x03ff, 0x7bff};
    static constexpr std::array<std::uint16_t, 9> small_integers = {0x3c00, 0xbc00, 0x4000, 0xc000, 0x4200,
                                                                    0xc200, 0x4400, 0xc400, 0x4500};
};

/// `Format`'s network of PreluNet as messages spell it: `ctnn::BFloat16Network<Network<float, ...>>`.
template <class Format>
std::string prelu16_type() {
    return std::string(Format::cpp_template) + '<' + std::string(prelu_type) + '>';
}

template <class Net>
Net random_network(std::uint64_t seed) {
    Net net;
    Random random(seed);
    init::normal_inverse_fan_in(net, random);
    // Slopes away from their initial value, so that a slope read from the wrong place shows.
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        if (net.parameter(k) == 0.25f) net.set_parameter(k, random.uniform<float>(0.05f, 0.5f));
    }
    return net;
}

template <class N>
std::string load_expecting(const N& original, std::span<const std::byte> bytes, Kind expected) {
    auto net = std::make_unique<N>(original);
    const io::Status status = io::from_weights_bytes(*net, bytes, "w16.ctnn");
    INFO(status.message());
    CHECK(status.kind() == expected);
    CHECK(!status);
    CHECK(status.message().find("w16.ctnn") != std::string::npos);
    CHECK(parameter_bits(*net) == parameter_bits(original));
    return status.message();
}

std::uint64_t read_le(std::span<const std::byte> bytes, std::size_t at, std::size_t size) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < size; ++k) v |= std::to_integer<std::uint64_t>(bytes[at + k]) << (8 * k);
    return v;
}

void put_u32(std::vector<std::byte>& bytes, std::size_t at, std::uint32_t v) {
    for (std::size_t k = 0; k < 4; ++k) bytes[at + k] = static_cast<std::byte>((v >> (8 * k)) & 0xFFu);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------------
// Round trip and layout

TEMPLATE_TEST_CASE("A saved network of 16-bit weights loads back bit for bit and gives the same outputs",
                   "[io][weights16]", BFloat16Format, Float16Format) {
    using F = TestType;
    const auto check = [](const auto& net16, std::uint64_t seed) {
        using N = std::remove_cvref_t<decltype(net16)>;
        TemporaryDirectory dir;
        REQUIRE(io::save(net16, dir / "w16.ctnn"));
        auto loaded = std::make_unique<N>();
        const io::Status status = io::load(*loaded, dir / "w16.ctnn");
        INFO(status.message());
        REQUIRE(status);
        CHECK(status.message() == "ok");
        CHECK(parameter_bits(*loaded) == parameter_bits(net16));
        CHECK(read_bytes(dir / "w16.ctnn") == io::to_weights_bytes(net16));
        auto from_memory = std::make_unique<N>();
        REQUIRE(io::from_weights_bytes(*from_memory, io::to_weights_bytes(net16)));
        CHECK(parameter_bits(*from_memory) == parameter_bits(net16));
        Random random(seed);
        for (int sample = 0; sample < 50; ++sample) {
            typename N::input_type x;
            for (float& v : x) v = random.normal<float>(0.0f, 2.0f);
            const auto a = net16.forward(x);
            const auto b = loaded->forward(x);
            REQUIRE(std::memcmp(a.data(), b.data(), sizeof a) == 0);
        }
    };
    check(typename F::template network<PreluNet>(random_network<PreluNet>(1)), 1);
    check(typename F::template network<SoftmaxNet>(random_network<SoftmaxNet>(2)), 2);
    using Large = Network<float, Input<784>, Dense<128, ReLU>, Dense<64, ReLU>, Dense<10, Softmax>>;
    static const auto large_float = random_network<Large>(3);
    static const typename F::template network<Large> large(large_float);
    check(large, 3);

    SECTION("every 16-bit pattern and float special value survives") {
        // Weights: the format's specials (NaNs with payloads, quiet and signalling: no rounding made them; infinities,
        // -0, subnormals), then patterns of every exponent; slopes and biases: a NaN with a payload, -0, the largest
        // float.
        using N = typename F::template network<PreluNet>;
        std::array<std::uint16_t, N::weight_count> w{};
        std::array<float, N::float_parameter_count> f{};
        for (std::size_t k = 0; k < w.size(); ++k) w[k] = static_cast<std::uint16_t>(k * 2654435761u >> 16);
        std::copy(F::specials.begin(), F::specials.end(), w.begin());
        for (std::size_t k = 0; k < f.size(); ++k) f[k] = static_cast<float>(k) - 7.5f;
        f[0] = std::bit_cast<float>(0x7fc00005u);
        f[1] = -0.0f;
        f[f.size() - 1] = std::numeric_limits<float>::max();
        const N special = N::from_parameters(w, f);
        TemporaryDirectory dir;
        REQUIRE(io::save(special, dir / "s.ctnn"));
        N loaded;
        REQUIRE(io::load(loaded, dir / "s.ctnn"));
        CHECK(parameter_bits(loaded) == parameter_bits(special));
        std::array<std::uint16_t, N::weight_count> w2{};
        std::array<float, N::float_parameter_count> f2{};
        loaded.read_parameters(w2, f2);
        CHECK(w2 == w);
        CHECK(std::memcmp(f2.data(), f.data(), sizeof f) == 0);
        // The loaded weights widen to the values their patterns encode: exact, a NaN stays a NaN of its sign.
        const PreluNet widened = loaded.to_float();
        const std::size_t weights_per_layer[] = {15, 20, 4}, parameters_per_layer[] = {25, 24, 5};
        std::size_t first = 0, n = 0;
        for (std::size_t layer = 0; layer < 3; ++layer) {
            for (std::size_t j = 0; j < weights_per_layer[layer]; ++j, ++n) {
                const float expected = decode16(w[n], F::fraction_bits), got = widened.parameter(first + j);
                INFO("weight " << n << ", pattern " << w[n]);
                if (std::isnan(expected)) {
                    CHECK((std::isnan(got) && std::signbit(got) == std::signbit(expected)));
                } else {
                    CHECK(bits_of(got) == bits_of(expected));
                }
            }
            first += parameters_per_layer[layer];
        }
    }
}

TEMPLATE_TEST_CASE("A network of 16-bit weights' file holds its header and every parameter where the layout says",
                   "[io][weights16]", BFloat16Format, Float16Format) {
    using F = TestType;
    using N = typename F::template network<PreluNet>;
    const PreluNet net = random_network<PreluNet>(21);
    const N net16(net);
    const std::vector<std::byte> bytes = io::to_weights_bytes(net16);
    const std::string text = std::string(F::id) + ";float;3;5:prelu(1/4);4:tanh;1:sigmoid";
    CHECK(io::signature<N>() == text);
    CHECK(io::cpp_type<N>() == std::string(F::cpp_template) +
                                   "<ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<5, ctnn::PReLU>, ctnn::Dense<4, "
                                   "ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>>");
    // Counted by hand: per layer Out x In weights of 2 bytes, Out biases of 4, and PReLU's Out slopes of 4.
    constexpr std::size_t payload = (3 * 5 * 2 + 5 * 4 + 5 * 4) + (5 * 4 * 2 + 4 * 4) + (4 * 1 * 2 + 1 * 4);
    const std::size_t first = 28 + text.size();
    REQUIRE(bytes.size() == first + payload + 4);
    const char magic[] = {'C', 'T', 'N', 'N', 0, 'W', 'T', 'S'};
    CHECK(std::memcmp(bytes.data(), magic, 8) == 0);
    CHECK(read_le(bytes, 8, 4) == 1);
    CHECK(bytes[12] == F::code);
    CHECK((bytes[13] == std::byte{0} && bytes[14] == std::byte{0} && bytes[15] == std::byte{0}));
    CHECK(read_le(bytes, 16, 4) == text.size());
    CHECK(std::string(reinterpret_cast<const char*>(bytes.data()) + 20, text.size()) == text);
    CHECK(read_le(bytes, 20 + text.size(), 8) == payload);
    CHECK(read_le(bytes, first + payload, 4) == io::detail::crc32(std::span(bytes).first(first + payload)));

    // Walk the float network's canonical order: a weight is 2 bytes, the pattern of its float rounded by the
    // reference; a bias or slope its float bits, 4 bytes.
    const std::size_t weights_per_layer[] = {15, 20, 4}, parameters_per_layer[] = {25, 24, 5};
    std::size_t at = first, k = 0;
    for (std::size_t layer = 0; layer < 3; ++layer) {
        for (std::size_t j = 0; j < parameters_per_layer[layer]; ++j, ++k) {
            const float value = net.parameter(k);
            if (j < weights_per_layer[layer]) {
                const auto pattern = static_cast<std::uint16_t>(read_le(bytes, at, 2));
                INFO("parameter " << k << " = " << value << ", pattern " << pattern);
                REQUIRE(bits_of(decode16(pattern, F::fraction_bits)) == bits_of(F::reference(value)));
                at += 2;
            } else {
                REQUIRE(read_le(bytes, at, 4) == std::bit_cast<std::uint32_t>(value));
                at += 4;
            }
        }
    }
    CHECK(k == PreluNet::parameter_count);
    CHECK(at == first + payload);
}

TEMPLATE_TEST_CASE(
    "A network of 16-bit weights' parameters read and write in the canonical order, in constant "
    "expressions too",
    "[io][weights16]", BFloat16Format, Float16Format) {
    using F = TestType;
    using Small = Network<float, Input<2>, Dense<3, PReLU>, Dense<1, Linear>>;
    using N = typename F::template network<Small>;
    static_assert(N::weight_count == 2 * 3 + 3 * 1 && N::float_parameter_count == 3 + 3 + 1);
    static constexpr std::array<float, 7> f = {0.5f, -0.5f, 0.25f, 0.1f, 0.2f, 0.3f, -2.0f};
    static constexpr N net = N::from_parameters(F::small_integers, f);
    constexpr auto read_back = [] {
        std::array<std::uint16_t, 9> w2{};
        std::array<float, 7> f2{};
        net.read_parameters(w2, f2);
        return w2 == F::small_integers && f2 == f;
    };
    static_assert(read_back());
    // The float network of the same parameters: weights widened, the rest as they are, in Small's canonical order.
    const Small widened = net.to_float();
    const float expected[] = {1, -1, 2, -2, 3, -3, 0.5f, -0.5f, 0.25f, 0.1f, 0.2f, 0.3f, 4, -4, 5, -2};
    for (std::size_t k = 0; k < Small::parameter_count; ++k) CHECK(widened.parameter(k) == expected[k]);
}

// ---------------------------------------------------------------------------------------------------------------------
// Errors

TEMPLATE_TEST_CASE(
    "Loading a network of 16-bit weights' file fails for another topology, float files, the other "
    "16-bit format's files and quantized files",
    "[io][weights16][errors]", BFloat16Format, Float16Format) {
    using F = TestType;
    using O = typename F::other;
    const std::string type16 = prelu16_type<F>();
    const std::string float_type = "ctnn::" + std::string(prelu_type);
    const PreluNet net = random_network<PreluNet>(31);
    const typename F::template network<PreluNet> net16(net);
    const std::vector<std::byte> bytes = io::to_weights_bytes(net16);

    SECTION("another activation: topology_mismatch, naming the layer") {
        const typename F::template network<OtherNet> other(random_network<OtherNet>(32));
        const std::string message = load_expecting(other, bytes, Kind::topology_mismatch);
        CHECK(message == "w16.ctnn was saved for " + type16 + ", not " + std::string(F::cpp_template) +
                             "<Network<float, Input<3>, Dense<5, PReLU>, Dense<4, ReLU>, Dense<1, Sigmoid>>> (layer 2 "
                             "uses tanh, not relu)");
    }
    SECTION("the float network's file: scalar_type_mismatch, saying how to round it") {
        const typename F::template network<PreluNet> other(random_network<PreluNet>(33));
        const std::string message = load_expecting(other, io::to_weights_bytes(net), Kind::scalar_type_mismatch);
        CHECK(message == "w16.ctnn was saved for " + float_type + ", not " + type16 + "; load it into " + float_type +
                             " and construct " + type16 + " from that network, which rounds each weight to " +
                             std::string(F::id));
    }
    SECTION("into the float network: scalar_type_mismatch, saying how to widen it") {
        PreluNet float_net = random_network<PreluNet>(34);
        const PreluNet original = float_net;
        const io::Status status = io::from_weights_bytes(float_net, bytes, "w16.ctnn");
        CHECK(status.kind() == Kind::scalar_type_mismatch);
        CHECK(status.message() == "w16.ctnn was saved for " + type16 + ", not " + float_type + "; load it into " +
                                      type16 + " and call its to_float(), which widens each weight exactly");
        CHECK(float_net == original);
    }
    SECTION("the other 16-bit format's file: scalar_type_mismatch, saying how to convert it") {
        const std::string other_type = prelu16_type<O>();
        const typename O::template network<PreluNet> other16(net);
        const std::string message = load_expecting(net16, io::to_weights_bytes(other16), Kind::scalar_type_mismatch);
        CHECK(message == "w16.ctnn was saved for " + other_type + ", not " + type16 + "; load it into " + other_type +
                             ", call its to_float(), which widens each weight exactly, and construct " + type16 +
                             " from that network, which rounds each weight to " + std::string(F::id));
        // Another topology in the other format: no conversion helps.
        const typename O::template network<OtherNet> other_topology(random_network<OtherNet>(37));
        const std::string message2 =
            load_expecting(net16, io::to_weights_bytes(other_topology), Kind::scalar_type_mismatch);
        CHECK(message2.find("was saved for " + std::string(O::cpp_template) + "<Network<float, Input<3>") !=
              std::string::npos);
        CHECK(message2.find("; load it") == std::string::npos);
    }
    SECTION("another float network's or a double network's file: scalar_type_mismatch without a hint") {
        const typename F::template network<OtherNet> other(random_network<OtherNet>(35));
        const std::string message = load_expecting(other, io::to_weights_bytes(net), Kind::scalar_type_mismatch);
        CHECK(message.find("; load it") == std::string::npos);
        Network<double, Input<3>, Dense<5, PReLU>, Dense<4, Tanh>, Dense<1, Sigmoid>> double_net;
        const std::string message2 =
            load_expecting(net16, io::to_weights_bytes(double_net), Kind::scalar_type_mismatch);
        CHECK(message2.find("saved for ctnn::Network<double,") != std::string::npos);
        CHECK(message2.find("; load it") == std::string::npos);
    }
    SECTION("a quantized network's file, and into a quantized network: scalar_type_mismatch") {
        using Q = QuantizedNetwork<SoftmaxNet>;
        const SoftmaxNet float_net = random_network<SoftmaxNet>(36);
        std::vector<SoftmaxNet::input_type> calibration(16);
        Random random(36);
        for (auto& x : calibration) {
            for (float& v : x) v = random.normal<float>(0.0f, 1.0f);
        }
        const Q q = quantize(float_net, std::span<const SoftmaxNet::input_type>(calibration));
        const typename F::template network<SoftmaxNet> softmax16(float_net);
        const std::string message = load_expecting(softmax16, io::to_weights_bytes(q), Kind::scalar_type_mismatch);
        CHECK(message.find("saved for ctnn::QuantizedNetwork<") != std::string::npos);
        Q q2 = q;
        const io::Status status = io::from_weights_bytes(q2, io::to_weights_bytes(softmax16), "w16.ctnn");
        CHECK(status.kind() == Kind::scalar_type_mismatch);
        CHECK(status.message().find("saved for " + std::string(F::cpp_template) + "<Network<float, Input<6>") !=
              std::string::npos);
    }
    SECTION("a scalar code that its text does not agree with: the code decides, the message names both") {
        // The float code with this format's text: another scalar type.
        std::vector<std::byte> edited = bytes;
        edited[12] = std::byte{4};
        reseal(edited);
        std::string message = load_expecting(net16, edited, Kind::scalar_type_mismatch);
        CHECK(message.find("Sigmoid>>> with float parameters, not " + std::string(F::cpp_template) + '<') !=
              std::string::npos);
        // The other 16-bit format's code with this format's text: another scalar type, named by the code.
        edited = bytes;
        edited[12] = O::code;
        reseal(edited);
        message = load_expecting(net16, edited, Kind::scalar_type_mismatch);
        CHECK(message ==
              "w16.ctnn was saved for " + type16 + " with " + std::string(O::id) + " parameters, not " + type16);
        // This format's code with the float network's text: the right scalar type, another topology.
        edited = io::to_weights_bytes(net);
        edited[12] = F::code;
        reseal(edited);
        message = load_expecting(net16, edited, Kind::topology_mismatch);
        CHECK(message.find("was saved for ctnn::Network<float, Input<3>") != std::string::npos);
    }
}

TEMPLATE_TEST_CASE(
    "Loading a network of 16-bit weights' file fails with the float format's kinds, leaving the "
    "network unchanged",
    "[io][weights16][errors]", BFloat16Format, Float16Format) {
    using N = typename TestType::template network<PreluNet>;
    const N net16(random_network<PreluNet>(41));
    const N other(random_network<PreluNet>(42));
    const std::vector<std::byte> bytes = io::to_weights_bytes(net16);
    const auto load = [&](std::span<const std::byte> b) {
        auto net = other;
        io::Status status = io::from_weights_bytes(net, b, "w16.ctnn");
        REQUIRE(status.message().find("w16.ctnn") != std::string::npos);
        REQUIRE(parameter_bits(net) == parameter_bits(other));
        return status;
    };
    ctnn_test::check_refuses_faults(bytes, load);

    SECTION("past the header: the size the header announces") {
        const io::Status cut = load(std::span(bytes).first(bytes.size() - 7));
        CHECK(cut.kind() == Kind::truncated);
        CHECK(cut.message() == "w16.ctnn is truncated: it has " + std::to_string(bytes.size() - 7) + " of the " +
                                   std::to_string(bytes.size()) + " bytes its header announces");
    }
    SECTION("a missing file, a directory, a truncated file") {
        TemporaryDirectory dir;
        auto net = other;
        CHECK(io::load(net, dir / "missing.ctnn").kind() == Kind::file_not_found);
        CHECK(io::load(net, dir.path()).kind() == Kind::unreadable);
        write_bytes(dir / "w16.ctnn", std::span(bytes).first(bytes.size() - 1));
        CHECK(io::load(net, dir / "w16.ctnn").kind() == Kind::truncated);
        CHECK(parameter_bits(net) == parameter_bits(other));
    }
    SECTION("an unknown scalar code, reserved bytes not zero") {
        std::vector<std::byte> edited = bytes;
        edited[12] = std::byte{0x22};
        reseal(edited);
        CHECK(load(edited).message().find("scalar type code 34 is none of ctnn's") != std::string::npos);
        edited = bytes;
        edited[14] = std::byte{1};
        reseal(edited);
        CHECK(load(edited).kind() == Kind::not_a_weights_file);
    }
    SECTION("a wrong checksum") {
        std::vector<std::byte> edited = bytes;
        edited[bytes.size() - 9] ^= std::byte{0x40};
        const io::Status status = load(edited);
        CHECK(status.kind() == Kind::checksum_mismatch);
        CHECK(status.message().find("is corrupted: its CRC-32 is 0x") != std::string::npos);
    }
    SECTION("another count: in bytes of parameters") {
        std::vector<std::byte> edited = bytes;
        const std::size_t at = 20 + read_le(bytes, 16, 4);
        put_u32(edited, at, static_cast<std::uint32_t>(read_le(bytes, at, 4) + 2));
        reseal(edited);
        CHECK(load(edited).message().find("holds " + std::to_string(read_le(bytes, at, 4) + 2) +
                                          " bytes of parameters, but") != std::string::npos);
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Export

TEMPLATE_TEST_CASE("A network of 16-bit weights exports as a header of its weights' bit patterns",
                   "[io][weights16][export]", BFloat16Format, Float16Format) {
    using F = TestType;
    using N = typename F::template network<PreluNet>;
    const PreluNet net = random_network<PreluNet>(71);
    const N net16(net);
    const std::string text = io::export_header_text(net16, "model::w16");
    const auto has = [&](const std::string& s) {
        INFO(s);
        CHECK(text.find(s) != std::string::npos);
    };
    has("// Generated by ctnn::io::export_header: a ctnn network of " + std::string(F::id) + " weights");
    has("namespace model::w16 {");
    has("using FloatNetwork = ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<5, ctnn::PReLU>, ctnn::Dense<4, "
        "ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;");
    has("using Network = " + std::string(F::cpp_template) + "<FloatNetwork>;");
    has("inline constexpr char topology[] = \"" + std::string(F::id) + ";float;3;5:prelu(1/4);4:tanh;1:sigmoid\";");
    has("inline constexpr Network network = Network::from_parameters(weights, float_parameters);");
    has("// Read-only data: " + std::to_string(N::storage_bytes) + " bytes");
    // The weights, in hexadecimal, from the float network's weights rounded here; the float parameters' literals.
    std::string weights = "inline constexpr std::array<std::uint16_t, 39> weights = {\n";
    std::string floats = "inline constexpr std::array<float, 15> float_parameters = {\n";
    std::string line_w = "       ", line_f = "       ";
    std::size_t k = 0;
    const std::size_t weights_per_layer[] = {15, 20, 4}, parameters_per_layer[] = {25, 24, 5};
    for (std::size_t layer = 0; layer < 3; ++layer) {
        for (std::size_t j = 0; j < parameters_per_layer[layer]; ++j, ++k) {
            if (j < weights_per_layer[layer]) {
                char item[16];
                std::snprintf(item, sizeof item, " 0x%x,", static_cast<unsigned>(F::round(net.parameter(k))));
                line_w += item;
            } else {
                line_f += ' ' + io::detail::cpp_literal(net.parameter(k)) + ',';
            }
        }
    }
    // Only the first line of each list: the lines wrap at 100 columns.
    has(weights + line_w.substr(0, line_w.find(',', 60) + 1));
    has(floats + line_f.substr(0, line_f.find(',', 40) + 1));

    TemporaryDirectory dir;
    REQUIRE(io::export_header(net16, dir / "m.hpp", "m"));
    CHECK(read_bytes(dir / "m.hpp").size() == io::export_header_text(net16, "m").size());
    CHECK(io::export_header(net16, dir / "m.hpp", "2m").kind() == Kind::invalid_argument);
}
