// Tests of ctnn/io/quantized_weights.hpp and of export_header for quantized networks: the weights file's layout (format
// version 1 with weight scales, version 2 without), its round trip (every parameter and every quantum of a pass the
// same), version-1 files of networks that keep no scales, every way a load can fail (each leaving the network
// unchanged), save and export_header refusing every network whose values load refuses
// (ctnn/io/quantized_parameters.hpp; nothing written), and the exported header's text.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>
#include <ctnn/io/quantized_weights.hpp>

#include "support/quantized_weights_v1.hpp"
#include "support/weights_files.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <set>
#include <span>
#include <string>
#include <vector>

using namespace ctnn;
using Kind = io::Status::Kind;
using ctnn_test::read_bytes;
using ctnn_test::reseal;
using ctnn_test::TemporaryDirectory;
using ctnn_test::write_bytes;

namespace {

using TanhNet = Network<float, Input<3>, Dense<5, Tanh>, Dense<4, Linear>, Dense<1, Sigmoid>>;
using ReluNet = Network<float, Input<6>, Dense<7, ReLU>, Dense<3, Softmax>>;
using OtherNet = Network<float, Input<3>, Dense<5, Tanh>, Dense<4, ReLU>, Dense<1, Sigmoid>>;

/// `Net` trained-looking (random weights, seeded) and quantized with `R` on 64 random inputs.
template <class R, class Net>
QuantizedNetwork<Net, R> quantized_network(std::uint64_t seed) {
    Net net;
    Random random(seed);
    init::normal_inverse_fan_in(net, random);
    std::vector<typename Net::input_type> inputs(64);
    for (auto& x : inputs) {
        for (float& v : x) v = random.normal<float>(0.5f, 1.5f);
    }
    return quantize<R>(net, std::span<const typename Net::input_type>(inputs));
}

/// The object's bytes: QuantizedNetwork has no padding (storage_bytes), so equal bytes are equal parameters, NaN
/// payloads and signed zeros included.
template <class Q>
std::vector<std::byte> object_bytes(const Q& q) {
    static_assert(sizeof(Q) == Q::storage_bytes);
    std::vector<std::byte> bytes(sizeof(Q));
    std::memcpy(bytes.data(), &q, sizeof(Q));
    return bytes;
}

template <class Q>
bool same_object(const Q& a, const Q& b) {
    return object_bytes(a) == object_bytes(b);
}

/// Loads `bytes` into a copy of `original`, checks the kind and that the copy is unchanged; returns the message.
template <class Q>
std::string load_expecting(const Q& original, std::span<const std::byte> bytes, Kind expected) {
    Q net = original;
    const io::Status status = io::from_weights_bytes(net, bytes, "q.ctnn");
    INFO(status.message());
    CHECK(status.kind() == expected);
    CHECK(!status);
    CHECK(status.message().find("q.ctnn") != std::string::npos);
    CHECK(same_object(net, original));
    return status.message();
}

std::uint32_t u32_at(std::span<const std::byte> bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v |= std::to_integer<std::uint32_t>(bytes[at + k]) << (8 * k);
    return v;
}

void put_u32(std::vector<std::byte>& bytes, std::size_t at, std::uint32_t v) {
    for (std::size_t k = 0; k < 4; ++k) bytes[at + k] = static_cast<std::byte>((v >> (8 * k)) & 0xFFu);
}

/// Where the fields of TanhNet's file start (the layout of ctnn/io/quantized_weights.hpp, counted here by hand):
/// the payload after 28 bytes and the text; per layer 16 bytes of qparams, then (format version 1) Out weight scales,
/// Out biases, Out multipliers of `m` bytes, Out x In weights and (Tanh, Sigmoid) a 256-byte table.
struct TanhNetOffsets {
    std::size_t input, layer[3];
    std::size_t multiplier_bytes, scale_bytes;
    TanhNetOffsets(std::size_t text_size, std::size_t m, bool scales)
        : multiplier_bytes(m), scale_bytes(scales ? 4 : 0) {
        const std::size_t unit = 4 + scale_bytes + m;
        input = 28 + text_size;
        layer[0] = input + 8;
        layer[1] = layer[0] + 16 + 5 * unit + 5 * 3 + 256;
        layer[2] = layer[1] + 16 + 4 * unit + 4 * 5;
    }
    [[nodiscard]] std::size_t end() const {
        return layer[2] + 16 + 1 * (4 + scale_bytes + multiplier_bytes) + 1 * 4 + 256;
    }
    [[nodiscard]] std::size_t weight_scales(std::size_t i) const { return layer[i] + 16; }
    [[nodiscard]] std::size_t biases(std::size_t i, std::size_t out) const { return layer[i] + 16 + scale_bytes * out; }
    [[nodiscard]] std::size_t multipliers(std::size_t i, std::size_t out) const { return biases(i, out) + 4 * out; }
    [[nodiscard]] std::size_t weights(std::size_t i, std::size_t out) const {
        return multipliers(i, out) + out * multiplier_bytes;
    }
};

template <class R>
constexpr std::size_t multiplier_size = std::is_same_v<R, FloatRequantizer> ? 4 : 8;
/// The format version a network with R saves: 1 with its weight scales (FloatRequantizer), 2 without.
template <class R>
constexpr std::uint32_t saved_version = std::is_same_v<R, FloatRequantizer> ? 1 : 2;

/// A version-1 file of the network `fixed` (FixedPointRequantizer, which keeps no weight scales), holding the scales of
/// `twin`, the same float network quantized alike with FloatRequantizer (the same scales, biases, weights and tables).
template <class Net>
std::vector<std::byte> version_1_file(const QuantizedNetwork<Net, FixedPointRequantizer>& fixed,
                                      const QuantizedNetwork<Net, FloatRequantizer>& twin) {
    return ctnn_test::version_1_weights_bytes(
        fixed, [&](auto i, std::size_t o) { return twin.template layer<i>().weight_scales[o]; });
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------------
// Round trip and layout

TEMPLATE_TEST_CASE("A saved quantized network loads back bit for bit, and so does every quantum of its passes",
                   "[io][quantized]", FloatRequantizer, FixedPointRequantizer) {
    const auto check = [](const auto& q, std::uint64_t seed) {
        using Q = std::remove_cvref_t<decltype(q)>;
        TemporaryDirectory dir;
        REQUIRE(io::save(q, dir / "q.ctnn"));
        auto loaded = std::make_unique<Q>();
        const io::Status status = io::load(*loaded, dir / "q.ctnn");
        INFO(status.message());
        REQUIRE(status);
        CHECK(status.message() == "ok");
        CHECK(same_object(*loaded, q));
        CHECK(*loaded == q);
        CHECK(read_bytes(dir / "q.ctnn") == io::to_weights_bytes(q));
        // Every quantum of forward_quanta, and the float outputs, on inputs inside and far outside the calibration.
        Random random(seed);
        for (int sample = 0; sample < 200; ++sample) {
            typename Q::input_type x;
            for (float& v : x) v = random.normal<float>(0.0f, sample < 100 ? 1.5f : 20.0f);
            std::array<std::uint8_t, Q::quanta_size> a{}, b{};
            const auto ya = q.forward_quanta(x, a);
            const auto yb = loaded->forward_quanta(x, b);
            REQUIRE(a == b);
            REQUIRE(std::memcmp(ya.data(), yb.data(), sizeof ya) == 0);
        }
    };
    check(quantized_network<TestType, TanhNet>(11), 1);
    check(quantized_network<TestType, ReluNet>(12), 2);
    // A large network, on the heap as a loader keeps it: 784-128-64-10.
    using Large = Network<float, Input<784>, Dense<128, ReLU>, Dense<64, ReLU>, Dense<10, Softmax>>;
    static const auto large = quantized_network<TestType, Large>(13);
    check(large, 3);
}

TEMPLATE_TEST_CASE("A quantized network's file holds its header and every parameter where the layout says",
                   "[io][quantized]", FloatRequantizer, FixedPointRequantizer) {
    using Q = QuantizedNetwork<TanhNet, TestType>;
    const Q q = quantized_network<TestType, TanhNet>(21);
    const std::vector<std::byte> bytes = io::to_weights_bytes(q);
    const std::string text = std::string("quantized(") +
                             (std::is_same_v<TestType, FloatRequantizer> ? "float" : "fixed_point") +
                             ");float;3;5:tanh;4:linear;1:sigmoid";
    CHECK(io::signature<Q>() == text);
    constexpr bool scales = std::is_same_v<TestType, FloatRequantizer>;
    const TanhNetOffsets at(text.size(), multiplier_size<TestType>, scales);
    REQUIRE(bytes.size() == at.end() + 4);
    // The header: magic, version (1 with weight scales, 2 without), scalar code 1, zero reserved bytes, the text, the
    // count of bytes that follow.
    const char magic[] = {'C', 'T', 'N', 'N', 0, 'W', 'T', 'S'};
    CHECK(std::memcmp(bytes.data(), magic, 8) == 0);
    CHECK(u32_at(bytes, 8) == saved_version<TestType>);
    CHECK(bytes[12] == std::byte{1});
    CHECK((bytes[13] == std::byte{0} && bytes[14] == std::byte{0} && bytes[15] == std::byte{0}));
    CHECK(u32_at(bytes, 16) == text.size());
    CHECK(std::string(reinterpret_cast<const char*>(bytes.data()) + 20, text.size()) == text);
    CHECK(u32_at(bytes, 20 + text.size()) == at.end() - at.input);
    CHECK(u32_at(bytes, 24 + text.size()) == 0);
    CHECK(u32_at(bytes, at.end()) == io::detail::crc32(std::span(bytes).first(at.end())));
    // The values, at their offsets.
    CHECK(u32_at(bytes, at.input) == std::bit_cast<std::uint32_t>(q.input_qparams().scale));
    CHECK(u32_at(bytes, at.input + 4) == static_cast<std::uint32_t>(q.input_qparams().zero_point));
    const auto& l1 = q.template layer<1>();
    CHECK(u32_at(bytes, at.layer[1]) == std::bit_cast<std::uint32_t>(l1.linear_qparams.scale));
    CHECK(u32_at(bytes, at.layer[1] + 12) == static_cast<std::uint32_t>(l1.output_qparams.zero_point));
    for (std::size_t o = 0; o < 4; ++o) {
        if constexpr (scales) {
            CHECK(u32_at(bytes, at.weight_scales(1) + 4 * o) == std::bit_cast<std::uint32_t>(l1.weight_scales[o]));
        }
        CHECK(u32_at(bytes, at.biases(1, 4) + 4 * o) == static_cast<std::uint32_t>(l1.bias[o]));
        for (std::size_t k = 0; k < 5; ++k) {
            CHECK(bytes[at.weights(1, 4) + o * 5 + k] == static_cast<std::byte>(l1.weights(o, k)));
        }
    }
    const auto& m = q.template layer<2>().multipliers[0];
    if constexpr (std::is_same_v<TestType, FloatRequantizer>) {
        CHECK(u32_at(bytes, at.multipliers(2, 1)) == std::bit_cast<std::uint32_t>(m));
    } else {
        CHECK(u32_at(bytes, at.multipliers(2, 1)) == static_cast<std::uint32_t>(m.multiplier));
        CHECK(u32_at(bytes, at.multipliers(2, 1) + 4) == static_cast<std::uint32_t>(m.shift));
    }
    const auto& table = q.template layer<0>().lookup_table;
    CHECK(std::memcmp(bytes.data() + at.weights(0, 5) + 15, table.data(), 256) == 0);
}

// ---------------------------------------------------------------------------------------------------------------------
// Errors

TEST_CASE("Loading a quantized network's file fails for another topology, requantizer or float network",
          "[io][quantized][errors]") {
    const auto q = quantized_network<FloatRequantizer, TanhNet>(31);
    const std::vector<std::byte> bytes = io::to_weights_bytes(q);

    SECTION("another requantizer: topology_mismatch, naming both") {
        const auto fixed = quantized_network<FixedPointRequantizer, TanhNet>(32);
        const std::string message = load_expecting(fixed, bytes, Kind::topology_mismatch);
        CHECK(message.find("(it uses FloatRequantizer, not FixedPointRequantizer)") != std::string::npos);
    }
    SECTION("another activation: topology_mismatch, naming the layer") {
        const auto other = quantized_network<FloatRequantizer, OtherNet>(33);
        const std::string message = load_expecting(other, bytes, Kind::topology_mismatch);
        CHECK(message.find("(layer 2 uses linear, not relu)") != std::string::npos);
    }
    SECTION("a float network's file: scalar_type_mismatch") {
        TanhNet net;
        const std::string message = load_expecting(q, io::to_weights_bytes(net), Kind::scalar_type_mismatch);
        CHECK(message.find("was saved for ctnn::Network<float, Input<3>") != std::string::npos);
        CHECK(message.find("not ctnn::QuantizedNetwork<Network<float, Input<3>") != std::string::npos);
    }
    SECTION("into a float network: scalar_type_mismatch") {
        TanhNet net;
        Random random(34);
        init::normal_inverse_fan_in(net, random);
        const TanhNet original = net;
        const io::Status status = io::from_weights_bytes(net, bytes, "q.ctnn");
        CHECK(status.kind() == Kind::scalar_type_mismatch);
        CHECK(status.message() ==
              "q.ctnn was saved for ctnn::QuantizedNetwork<Network<float, Input<3>, Dense<5, Tanh>, Dense<4, Linear>, "
              "Dense<1, Sigmoid>>, FloatRequantizer>, not ctnn::Network<float, Input<3>, Dense<5, Tanh>, Dense<4, "
              "Linear>, Dense<1, Sigmoid>>");
        CHECK(net == original);
    }
}

TEST_CASE("Loading a quantized network's file fails with the float format's kinds, leaving the network unchanged",
          "[io][quantized][errors]") {
    const auto q = quantized_network<FixedPointRequantizer, TanhNet>(41);
    const auto other = quantized_network<FixedPointRequantizer, TanhNet>(42);
    const auto load = [&](std::span<const std::byte> bytes) {
        auto net = other;
        io::Status status = io::from_weights_bytes(net, bytes, "q.ctnn");
        REQUIRE(status.message().find("q.ctnn") != std::string::npos);
        REQUIRE(same_object(net, other));
        return status;
    };
    const std::vector<std::byte> bytes = io::to_weights_bytes(q);
    ctnn_test::check_refuses_faults(bytes, load);
    CHECK(load(std::span(bytes).first(bytes.size() - 1)).kind() == Kind::truncated);

    SECTION("a missing file, a directory, a truncated file") {
        TemporaryDirectory dir;
        auto net = other;
        CHECK(io::load(net, dir / "missing.ctnn").kind() == Kind::file_not_found);
        CHECK(io::load(net, dir.path()).kind() == Kind::unreadable);
        write_bytes(dir / "q.ctnn", std::span(bytes).first(bytes.size() - 1));
        CHECK(io::load(net, dir / "q.ctnn").kind() == Kind::truncated);
        CHECK(same_object(net, other));
    }
    SECTION("another count: in bytes of parameters") {
        std::vector<std::byte> edited = bytes;
        const std::size_t text_size = u32_at(bytes, 16);
        put_u32(edited, 20 + text_size, u32_at(bytes, 20 + text_size) - 1);
        reseal(edited);
        const std::string message = load_expecting(other, edited, Kind::parameter_count_mismatch);
        CHECK(message.find("bytes of parameters") != std::string::npos);
    }
}

TEMPLATE_TEST_CASE(
    "Loading an intact quantized file with a value the network cannot hold fails with "
    "invalid_parameter",
    "[io][quantized][errors]", FloatRequantizer, FixedPointRequantizer) {
    const auto q = quantized_network<TestType, TanhNet>(61);
    const auto other = quantized_network<TestType, TanhNet>(62);
    const std::vector<std::byte> bytes = io::to_weights_bytes(q);
    constexpr bool scales = std::is_same_v<TestType, FloatRequantizer>;
    const TanhNetOffsets at(u32_at(bytes, 16), multiplier_size<TestType>, scales);
    // Writes `value` at `offset` and reseals, so only the value is wrong; the message must say `what`.
    const auto expect = [&](std::size_t offset, std::uint32_t value, const std::string& what) {
        std::vector<std::byte> edited = bytes;
        put_u32(edited, offset, value);
        reseal(edited);
        const std::string message = load_expecting(other, edited, Kind::invalid_parameter);
        CHECK(message.find(what) != std::string::npos);
    };
    const auto bits = [](float v) { return std::bit_cast<std::uint32_t>(v); };
    constexpr float inf = std::numeric_limits<float>::infinity();

    SECTION("a scale that is zero, negative, infinite or NaN") {
        expect(at.input, bits(0.0f), "the input's scale is 0.0f, not a positive finite number");
        expect(at.input, bits(-0.5f), "the input's scale is -0.5f");
        expect(at.layer[1], bits(inf), "layer 2's linear scale is std::bit_cast<float>");
        expect(at.layer[1], bits(std::numeric_limits<float>::quiet_NaN()), "layer 2's linear scale is NaN");
        if constexpr (scales) {
            expect(at.weight_scales(0) + 8, bits(0.0f), "layer 1's unit 3's weight scale is 0.0f");
            expect(at.weight_scales(2), bits(-inf), "layer 3's unit 1's weight scale");
        }
    }
    SECTION("a zero point outside 0 .. 255") {
        expect(at.input + 4, 256, "the input's zero point is 256, outside 0 .. 255");
        expect(at.input + 4, static_cast<std::uint32_t>(-1), "the input's zero point is -1, outside 0 .. 255");
        expect(at.layer[1] + 4, 300, "layer 2's linear zero point is 300");
        expect(at.layer[0] + 12, 1000, "layer 1's output zero point is 1000");
    }
    SECTION("output qparams other than the activation's") {
        // Tanh: 2/256 and 128.
        expect(at.layer[0] + 12, 127, "layer 1's output qparams are (0.0078125f, 127), not its activation's");
        // Sigmoid: 1/256 and 0.
        expect(at.layer[2] + 8, bits(1.0f / 128.0f), "layer 3's output qparams are (0.0078125f, 0)");
        // Linear: the linear qparams.
        const auto& l = q.template layer<1>();
        expect(at.layer[1] + 12, static_cast<std::uint32_t>((l.linear_qparams.zero_point + 1) % 256),
               "layer 2's output qparams are");
    }
    if constexpr (scales) {
        SECTION("a multiplier that its scales do not give") {
            // The next float, then a weight scale that no longer fits.
            const std::size_t unit_2 = at.multipliers(1, 4) + multiplier_size<TestType>;
            expect(unit_2, u32_at(bytes, unit_2) + 1, "layer 2's unit 2's multiplier is");
            expect(at.weight_scales(2), bits(std::bit_cast<float>(u32_at(bytes, at.weight_scales(2))) * 2.0f),
                   "layer 3's unit 1's multiplier is");
        }
    } else {
        SECTION("a fixed-point multiplier that FixedPointRequantizer::multiplier cannot give") {
            // Version 2 holds no weight scales: q must be 0 (with shift 0) or in 2^30 .. 2^31 - 1, the shift in
            // -31 .. 30.
            const std::size_t q = at.multipliers(1, 4) + 8, shift = q + 4;  // layer 2's unit 2
            const std::string unit = "layer 2's unit 2's multiplier is (";
            expect(q, (1u << 30) - 1,
                   unit + "1073741823, shift " + std::to_string(static_cast<std::int32_t>(u32_at(bytes, shift))) +
                       "), but its Q0.31 fraction q is not 0 or in 2^30 .. 2^31 - 1");
            expect(q, static_cast<std::uint32_t>(-(1 << 30)), unit + "-1073741824, shift");
            expect(q, 0x80000000u, unit + "-2147483648, shift");
            expect(q, 1, "but its Q0.31 fraction q is not 0 or in 2^30 .. 2^31 - 1");
            expect(shift, 31, "shift 31), but its shift is outside -31 .. 30");
            expect(shift, static_cast<std::uint32_t>(-32), "shift -32), but its shift is outside -31 .. 30");
            std::vector<std::byte> zero = bytes;
            put_u32(zero, q, 0);
            put_u32(zero, shift, 5);
            reseal(zero);
            CHECK_THAT(load_expecting(other, zero, Kind::invalid_parameter),
                       Catch::Contains(unit + "0, shift 5), but a zero multiplier has shift 0"));
        }
    }
}

namespace {

/// The names of the files in `dir`.
std::set<std::string> file_names(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
    return names;
}

/// Checks that save() and export_header() refuse `bad` with invalid_parameter and the clause `what`, writing nothing (a
/// new path stays absent, an existing file keeps its bytes, no temporary is left), and that load() refuses the bytes
/// to_weights_bytes gives for `bad` with the same clause, leaving `valid` (a network of the same type) unchanged.
template <class Q>
void check_refused(const Q& bad, const Q& valid, const std::string& what) {
    INFO(what);
    TemporaryDirectory dir;
    const std::vector<std::byte> old_file = io::to_weights_bytes(valid);
    const std::string old_header = "// an earlier export\n";
    write_bytes(dir / "old.ctnn", old_file);
    write_bytes(dir / "old.hpp", std::as_bytes(std::span(old_header)));
    const std::set<std::string> before = file_names(dir.path());

    const auto expect = [&](const io::Status& status, const std::string& message) {
        INFO(status.message());
        CHECK(!status);
        CHECK(status.kind() == Kind::invalid_parameter);
        CHECK(status.message() == message);
    };
    const std::string holds = ": the network holds an invalid parameter: " + what;
    expect(io::save(bad, dir / "q.ctnn"), "cannot write " + (dir / "q.ctnn").string() + holds);
    expect(io::save(bad, dir / "old.ctnn"), "cannot write " + (dir / "old.ctnn").string() + holds);
    expect(io::export_header(bad, dir / "m.hpp", "m"), "cannot export to " + (dir / "m.hpp").string() + holds);
    expect(io::export_header(bad, dir / "old.hpp", "m"), "cannot export to " + (dir / "old.hpp").string() + holds);
    CHECK(file_names(dir.path()) == before);
    CHECK(read_bytes(dir / "old.ctnn") == old_file);
    CHECK(read_bytes(dir / "old.hpp") == std::vector<std::byte>(std::as_bytes(std::span(old_header)).begin(),
                                                                std::as_bytes(std::span(old_header)).end()));

    // What save refuses, load refuses, naming the same value.
    CHECK(load_expecting(valid, io::to_weights_bytes(bad), Kind::invalid_parameter) ==
          "q.ctnn holds an invalid parameter: " + what);

    // The valid network still saves there, and loads back.
    REQUIRE(io::save(valid, dir / "q.ctnn"));
    Q loaded = bad;
    REQUIRE(io::load(loaded, dir / "q.ctnn"));
    CHECK(same_object(loaded, valid));
}

}  // namespace

TEMPLATE_TEST_CASE("Saving or exporting a quantized network that load() would refuse fails with invalid_parameter",
                   "[io][quantized][errors][export]", FloatRequantizer, FixedPointRequantizer) {
    using Q = QuantizedNetwork<TanhNet, TestType>;
    const Q q = quantized_network<TestType, TanhNet>(67);
    // `q` with one value changed by `edit`, refused with the clause `what`.
    const auto refused = [&](const std::function<void(Q&)>& edit, const std::string& what) {
        Q bad = q;
        edit(bad);
        check_refused(bad, q, what);
    };
    const auto literal = [](float v) { return io::detail::cpp_literal(v); };
    constexpr float inf = std::numeric_limits<float>::infinity();
    const std::string not_a_scale = ", not a positive finite number";

    SECTION("a default-constructed network") {
        // Tanh's fixed output qparams come first, before any weight scale.
        check_refused(Q{}, q, "layer 1's output qparams are (1.0f, 0), not its activation's (0.0078125f, 128)");
        if constexpr (std::is_same_v<TestType, FloatRequantizer>) {
            const auto relu = quantized_network<TestType, ReluNet>(68);
            check_refused(QuantizedNetwork<ReluNet, TestType>{}, relu,
                          "layer 1's unit 1's weight scale is 0.0f, not a positive finite number");
        }
    }
    SECTION("a scale that is zero, negative, infinite or NaN") {
        refused([](Q& n) { n.input_qparams().scale = 0.0f; }, "the input's scale is 0.0f" + not_a_scale);
        refused([](Q& n) { n.input_qparams().scale = -0.5f; }, "the input's scale is -0.5f" + not_a_scale);
        refused([&](Q& n) { n.template layer<1>().linear_qparams.scale = inf; },
                "layer 2's linear scale is " + literal(inf) + not_a_scale);
        refused([](Q& n) { n.template layer<1>().linear_qparams.scale = std::numeric_limits<float>::quiet_NaN(); },
                "layer 2's linear scale is NaN" + not_a_scale);
        refused([](Q& n) { n.template layer<2>().output_qparams.scale = -0.0f; },
                "layer 3's output scale is -0.0f" + not_a_scale);
        if constexpr (std::is_same_v<TestType, FloatRequantizer>) {
            refused([](Q& n) { n.template layer<0>().weight_scales[2] = 0.0f; },
                    "layer 1's unit 3's weight scale is 0.0f" + not_a_scale);
            refused([&](Q& n) { n.template layer<2>().weight_scales[0] = -inf; },
                    "layer 3's unit 1's weight scale is " + literal(-inf) + not_a_scale);
        }
    }
    SECTION("a zero point outside 0 .. 255") {
        refused([](Q& n) { n.input_qparams().zero_point = 256; }, "the input's zero point is 256, outside 0 .. 255");
        refused([](Q& n) { n.input_qparams().zero_point = -1; }, "the input's zero point is -1, outside 0 .. 255");
        refused([](Q& n) { n.template layer<1>().linear_qparams.zero_point = 300; },
                "layer 2's linear zero point is 300, outside 0 .. 255");
        refused([](Q& n) { n.template layer<0>().output_qparams.zero_point = 1000; },
                "layer 1's output zero point is 1000, outside 0 .. 255");
    }
    SECTION("output qparams other than the activation's") {
        refused([](Q& n) { n.template layer<0>().output_qparams.zero_point = 127; },  // Tanh: 2/256 and 128
                "layer 1's output qparams are (0.0078125f, 127), not its activation's (0.0078125f, 128)");
        refused([](Q& n) { n.template layer<2>().output_qparams.scale = 1.0f / 128.0f; },  // Sigmoid: 1/256 and 0
                "layer 3's output qparams are (0.0078125f, 0), not its activation's (0.00390625f, 0)");
        const QuantizationParams linear = q.template layer<1>().linear_qparams;  // Linear: its linear qparams
        const std::int32_t other = (linear.zero_point + 1) % 256;
        refused([&](Q& n) { n.template layer<1>().output_qparams.zero_point = other; },
                "layer 2's output qparams are (" + literal(linear.scale) + ", " + std::to_string(other) +
                    "), not its activation's (" + literal(linear.scale) + ", " + std::to_string(linear.zero_point) +
                    ")");
    }
    if constexpr (std::is_same_v<TestType, FloatRequantizer>) {
        SECTION("a multiplier that its scales do not give") {
            const float m = q.template layer<1>().multipliers[1];
            const float next = std::nextafter(m, inf);
            refused([&](Q& n) { n.template layer<1>().multipliers[1] = next; },
                    "layer 2's unit 2's multiplier is " + literal(next) + ", but its scales give " + literal(m));
            // A weight scale that no longer gives its multiplier.
            const auto& l = q.template layer<2>();
            const float doubled = 2.0f * l.weight_scales[0];
            const float given = FloatRequantizer::multiplier(q.template layer<1>().output_qparams.scale, doubled,
                                                             l.linear_qparams.scale);
            REQUIRE(given != l.multipliers[0]);
            refused([&](Q& n) { n.template layer<2>().weight_scales[0] = doubled; },
                    "layer 3's unit 1's multiplier is " + literal(l.multipliers[0]) + ", but its scales give " +
                        literal(given));
        }
    } else {
        SECTION("a fixed-point multiplier that FixedPointRequantizer::multiplier cannot give") {
            const std::int32_t shift = q.template layer<1>().multipliers[1].shift;
            const auto multiplier = [&](std::int32_t m, std::int32_t s, const std::string& clause) {
                refused(
                    [&](Q& n) {
                        n.template layer<1>().multipliers[1] = {m, s};
                    },
                    "layer 2's unit 2's multiplier is (" + std::to_string(m) + ", shift " + std::to_string(s) + ")" +
                        clause);
            };
            const std::string fraction = ", but its Q0.31 fraction q is not 0 or in 2^30 .. 2^31 - 1";
            multiplier((1 << 30) - 1, shift, fraction);
            multiplier(-(1 << 30), shift, fraction);
            multiplier(INT32_MIN, shift, fraction);
            multiplier(1, shift, fraction);
            multiplier(1 << 30, 31, ", but its shift is outside -31 .. 30");
            multiplier(1 << 30, -32, ", but its shift is outside -31 .. 30");
            multiplier(0, 5, ", but a zero multiplier has shift 0");
        }
    }
}

TEMPLATE_TEST_CASE("Every quantized network whose values are valid saves, loads back and exports",
                   "[io][quantized][export]", FloatRequantizer, FixedPointRequantizer) {
    TemporaryDirectory dir;
    const auto round_trip = [&](const auto& q) {
        using Q = std::remove_cvref_t<decltype(q)>;
        const io::Status saved = io::save(q, dir / "q.ctnn");
        INFO(saved.message());
        REQUIRE(saved);
        Q loaded = quantized_network<TestType, typename Q::network_type>(69);
        REQUIRE(io::load(loaded, dir / "q.ctnn"));
        CHECK(same_object(loaded, q));
        REQUIRE(io::export_header(q, dir / "m.hpp", "m"));
        CHECK(read_bytes(dir / "m.hpp").size() == io::export_header_text(q, "m").size());
    };
    round_trip(quantized_network<TestType, TanhNet>(70));
    round_trip(quantized_network<TestType, ReluNet>(71));
    if constexpr (std::is_same_v<TestType, FixedPointRequantizer>) {
        // Without weight scales or a fixed output quantization, a default-constructed network is valid: scales 1, zero
        // points 0, multipliers (0, shift 0).
        round_trip(QuantizedNetwork<ReluNet, TestType>{});
        // The ends of the multiplier's ranges.
        for (const FixedPointRequantizer::multiplier_type m : {FixedPointRequantizer::multiplier_type{1 << 30, -31},
                                                               FixedPointRequantizer::multiplier_type{INT32_MAX, 30}}) {
            auto edited = quantized_network<TestType, TanhNet>(72);
            edited.template layer<1>().multipliers[1] = m;
            round_trip(edited);
        }
    }
}

TEST_CASE("A version-2 file loads any fixed-point multiplier FixedPointRequantizer::multiplier can give",
          "[io][quantized]") {
    using Q = QuantizedNetwork<TanhNet, FixedPointRequantizer>;
    const Q q = quantized_network<FixedPointRequantizer, TanhNet>(63);
    // The ends of the ranges: q 0 with shift 0, 2^30 and 2^31 - 1; shifts -31 and 30. Each file loads, bit for bit.
    const FixedPointRequantizer::multiplier_type ends[] = {{0, 0}, {1 << 30, -31}, {INT32_MAX, 30}, {1 << 30, 30}};
    for (const auto& m : ends) {
        Q edited = q;
        edited.layer<1>().multipliers[1] = m;
        const std::vector<std::byte> bytes = io::to_weights_bytes(edited);
        Q loaded = q;
        const io::Status status = io::from_weights_bytes(loaded, bytes, "q.ctnn");
        INFO(m.multiplier << ", shift " << m.shift << ": " << status.message());
        CHECK(status);
        CHECK(same_object(loaded, edited));
    }
}

TEST_CASE("A quantized network's file of a version its requantizer does not read fails with unsupported_version",
          "[io][quantized][errors]") {
    // A well-formed version-2 file (no weight scales) of the network with FloatRequantizer: its version-1 file without
    // the scales, the count 4 bytes a unit less.
    const auto q = quantized_network<FloatRequantizer, TanhNet>(64);
    const std::vector<std::byte> bytes = io::to_weights_bytes(q);
    const TanhNetOffsets at(u32_at(bytes, 16), 4, true);
    std::vector<std::byte> v2(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at.layer[0]));
    const std::size_t units[3] = {5, 4, 1};
    for (std::size_t i = 0; i < 3; ++i) {
        const std::size_t end = i < 2 ? at.layer[i + 1] : at.end();
        v2.insert(v2.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at.layer[i]),
                  bytes.begin() + static_cast<std::ptrdiff_t>(at.weight_scales(i)));
        v2.insert(v2.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at.biases(i, units[i])),
                  bytes.begin() + static_cast<std::ptrdiff_t>(end));
    }
    v2.resize(v2.size() + 4);
    put_u32(v2, 8, 2);
    put_u32(v2, at.input - 8, static_cast<std::uint32_t>(v2.size() - 4 - at.input));
    reseal(v2);
    const auto other = quantized_network<FloatRequantizer, TanhNet>(65);
    const std::string message = load_expecting(other, v2, Kind::unsupported_version);
    CHECK(message ==
          "q.ctnn has format version 2; this ctnn reads version 1 only for ctnn::QuantizedNetwork<Network<float, "
          "Input<3>, Dense<5, Tanh>, Dense<4, Linear>, Dense<1, Sigmoid>>, FloatRequantizer> (version 2 holds "
          "quantized networks with FixedPointRequantizer: load it into one)");

    SECTION("a float network refuses version 2 alike") {
        TanhNet net;
        std::vector<std::byte> float_file = io::to_weights_bytes(net);
        put_u32(float_file, 8, 2);
        reseal(float_file);
        const io::Status status = io::from_weights_bytes(net, float_file, "f.ctnn");
        CHECK(status.kind() == Kind::unsupported_version);
        CHECK_THAT(status.message(), Catch::Contains("version 2 holds quantized networks with FixedPointRequantizer"));
    }
    SECTION("a network with FixedPointRequantizer reads versions 1 and 2, not 3") {
        const auto fixed = quantized_network<FixedPointRequantizer, TanhNet>(66);
        std::vector<std::byte> v3 = io::to_weights_bytes(fixed);
        put_u32(v3, 8, 3);
        reseal(v3);
        CHECK_THAT(load_expecting(fixed, v3, Kind::unsupported_version),
                   Catch::Contains("q.ctnn has format version 3; this ctnn reads versions 1 and 2 only for "
                                   "ctnn::QuantizedNetwork<") &&
                       !Catch::Contains("(version 2 holds"));
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Version-1 files of networks that keep no weight scales

TEST_CASE("The version-1 writer of the tests writes what ctnn saves for a network that keeps its weight scales",
          "[io][quantized]") {
    // The independent writer (tests/support/quantized_weights_v1.hpp) checked against ctnn's on FloatRequantizer.
    const auto q = quantized_network<FloatRequantizer, TanhNet>(81);
    CHECK(ctnn_test::version_1_weights_bytes(q, [&](auto i, std::size_t o) {
              return q.template layer<i>().weight_scales[o];
          }) == io::to_weights_bytes(q));
}

TEST_CASE("A version-1 file of a network with FixedPointRequantizer loads, its weight scales checked and dropped",
          "[io][quantized]") {
    using Q = QuantizedNetwork<TanhNet, FixedPointRequantizer>;
    const Q q = quantized_network<FixedPointRequantizer, TanhNet>(82);
    const auto twin = quantized_network<FloatRequantizer, TanhNet>(82);
    const std::vector<std::byte> v1 = version_1_file(q, twin);
    const std::vector<std::byte> v2 = io::to_weights_bytes(q);
    const TanhNetOffsets at(u32_at(v1, 16), 8, true);
    REQUIRE(v1.size() == at.end() + 4);
    CHECK(u32_at(v1, 8) == 1);
    CHECK(v1.size() == v2.size() + 4 * (5 + 4 + 1));  // a weight scale a unit

    SECTION("it loads into the same network, from memory and from a file, and saves back as version 2") {
        const auto other = quantized_network<FixedPointRequantizer, TanhNet>(83);
        auto loaded = std::make_unique<Q>(other);
        const io::Status status = io::from_weights_bytes(*loaded, v1, "v1.ctnn");
        INFO(status.message());
        REQUIRE(status);
        CHECK(same_object(*loaded, q));
        CHECK(*loaded == q);
        CHECK(io::to_weights_bytes(*loaded) == v2);
        TemporaryDirectory dir;
        write_bytes(dir / "v1.ctnn", v1);
        auto from_file = std::make_unique<Q>(other);
        REQUIRE(io::load(*from_file, dir / "v1.ctnn"));
        CHECK(same_object(*from_file, q));
    }
    SECTION("a large network's version-1 file loads from a file too (longer than its version-2 file by 808 bytes)") {
        using Large = Network<float, Input<784>, Dense<128, ReLU>, Dense<64, ReLU>, Dense<10, Softmax>>;
        using LargeFixed = QuantizedNetwork<Large, FixedPointRequantizer>;
        using LargeFloat = QuantizedNetwork<Large, FloatRequantizer>;
        const auto large = std::make_unique<LargeFixed>(quantized_network<FixedPointRequantizer, Large>(84));
        const auto large_twin = std::make_unique<LargeFloat>(quantized_network<FloatRequantizer, Large>(84));
        const std::vector<std::byte> large_v1 = ctnn_test::version_1_weights_bytes(
            *large, [&](auto i, std::size_t o) { return large_twin->template layer<i>().weight_scales[o]; });
        CHECK(large_v1.size() == io::to_weights_bytes(*large).size() + 4 * (128 + 64 + 10));
        TemporaryDirectory dir;
        write_bytes(dir / "large.ctnn", large_v1);
        const auto loaded = std::make_unique<LargeFixed>();
        const io::Status status = io::load(*loaded, dir / "large.ctnn");
        INFO(status.message());
        REQUIRE(status);
        CHECK(same_object(*loaded, *large));
    }
    SECTION("its weight scales are checked: positive and finite, and giving the multipliers") {
        const auto other = quantized_network<FixedPointRequantizer, TanhNet>(85);
        const auto expect = [&](std::size_t offset, std::uint32_t value, const std::string& what) {
            std::vector<std::byte> edited = v1;
            put_u32(edited, offset, value);
            reseal(edited);
            CHECK_THAT(load_expecting(other, edited, Kind::invalid_parameter), Catch::Contains(what));
        };
        const auto bits = [](float v) { return std::bit_cast<std::uint32_t>(v); };
        expect(at.weight_scales(0) + 8, bits(0.0f), "layer 1's unit 3's weight scale is 0.0f");
        expect(at.weight_scales(1), bits(std::numeric_limits<float>::quiet_NaN()),
               "layer 2's unit 1's weight scale is NaN");
        expect(at.weight_scales(2), bits(std::bit_cast<float>(u32_at(v1, at.weight_scales(2))) * 2.0f),
               "layer 3's unit 1's multiplier is (");
        // The next Q0.31 value and a shift one off: valid in range, but not what the scales give.
        const std::size_t unit_2 = at.multipliers(1, 4) + 8;
        expect(unit_2, u32_at(v1, unit_2) + 1, "layer 2's unit 2's multiplier is (");
        expect(unit_2 + 4, u32_at(v1, unit_2 + 4) + 1, ", but its scales give (");
    }
    SECTION("a network with FloatRequantizer refuses it: another requantizer") {
        const std::string message = load_expecting(twin, v1, Kind::topology_mismatch);
        CHECK_THAT(message, Catch::Contains("(it uses FixedPointRequantizer, not FloatRequantizer)"));
    }
    SECTION("every truncation and every flipped bit is refused, the network unchanged") {
        const Q before = quantized_network<FixedPointRequantizer, TanhNet>(86);
        Q loaded = before;
        for (std::size_t n = 0; n < v1.size(); ++n) {
            const io::Status status = io::from_weights_bytes(loaded, std::span(v1).first(n), "q.ctnn");
            REQUIRE(!status);
        }
        for (std::size_t bit = 0; bit < 8 * v1.size(); ++bit) {
            std::vector<std::byte> flipped = v1;
            flipped[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
            const io::Status status = io::from_weights_bytes(loaded, flipped, "q.ctnn");
            REQUIRE(!status);
        }
        CHECK(same_object(loaded, before));
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Export

TEMPLATE_TEST_CASE("A quantized network exports as a header of its exact parameters", "[io][quantized][export]",
                   FloatRequantizer, FixedPointRequantizer) {
    const auto q = quantized_network<TestType, TanhNet>(71);
    const std::string text = io::export_header_text(q, "model::q8");
    const auto has = [&](const std::string& s) {
        INFO(s);
        CHECK(text.find(s) != std::string::npos);
    };
    has("namespace model::q8 {");
    has("using FloatNetwork = ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<5, ctnn::Tanh>, ctnn::Dense<4, "
        "ctnn::Linear>, ctnn::Dense<1, ctnn::Sigmoid>>;");
    has(std::string("using Network = ctnn::QuantizedNetwork<FloatNetwork, ") +
        (std::is_same_v<TestType, FloatRequantizer> ? "ctnn::FloatRequantizer" : "ctnn::FixedPointRequantizer") + ">;");
    has("inline constexpr char topology[] = \"" + io::signature<decltype(q)>() + "\";");
    has("inline constexpr ctnn::QuantizationParams input_qparams = {" +
        io::detail::cpp_literal(q.input_qparams().scale) + ", " + std::to_string(q.input_qparams().zero_point) + "};");
    has("inline constexpr Network network{input_qparams, layer_1, layer_2, layer_3};");
    has("// Read-only data: " + std::to_string(decltype(q)::storage_bytes) + " bytes");
    // Layer 2's weights, row by row: 5 weights and 3 bytes of padding each, in hexadecimal.
    const auto& l = q.template layer<1>();
    std::string rows;
    for (std::size_t o = 0; o < 4; ++o) {
        rows += "       ";
        for (std::size_t k = 0; k < 8; ++k) {
            const int w = l.weights(o, k);
            char item[16];
            std::snprintf(item, sizeof item, " %s0x%x,", w < 0 ? "-" : "", static_cast<unsigned>(w < 0 ? -w : w));
            rows += item;
        }
        rows += '\n';
    }
    has("    .weights = {{\n" + rows + "    }},");
    has("    .linear_qparams = {" + io::detail::cpp_literal(l.linear_qparams.scale) + ", " +
        std::to_string(l.linear_qparams.zero_point) + "},");
    has("    .lookup_table = {},");
    // Weight scales where the network keeps them (FloatRequantizer), between the biases and the multipliers.
    if constexpr (std::is_same_v<TestType, FloatRequantizer>) {
        has("    }},\n    .weight_scales = {{\n        " + io::detail::cpp_literal(l.weight_scales[0]) + ",");
    } else {
        CHECK(text.find(".weight_scales") == std::string::npos);
    }
}
