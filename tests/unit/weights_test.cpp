// Tests of ctnn/io/signature.hpp, ctnn/io/weights.hpp and ctnn/io/export.hpp: spellings, the weights file's round
// trip and every way a load can fail (each leaving the network unchanged), saving, and the exported header's text.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>
#include <ctnn/io/signature.hpp>
#include <ctnn/io/weights.hpp>

#include "support/parameter_bits.hpp"
#include "support/weights_files.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <ratio>
#include <span>
#include <string>
#include <system_error>
#include <vector>

using namespace ctnn;
namespace fs = std::filesystem;
using Kind = io::Status::Kind;

namespace {

using ctnn_test::read_bytes;
using ctnn_test::reseal;
using ctnn_test::TemporaryDirectory;
using ctnn_test::write_bytes;

template <class Net>
Net random_network(std::uint64_t seed) {
    Net net;
    Random random(seed);
    init::normal_inverse_fan_in(net, random);
    return net;
}

using ctnn_test::parameter_bits;

using Small = Network<float, Input<2>, Dense<3, Tanh>, Dense<1, Sigmoid>>;
template <class T>
using Rich = Network<T, Input<3>, Dense<5, PReLU>, Dense<4, LeakyReLU::with<std::ratio<1, 10>>>,
                     Dense<4, ELU::with<std::ratio<1, 2>>>, Dense<3, RReLU>, Dense<3, Softmax>>;

/// Loads `path` into a copy of `original`, checks the status's kind and that the copy is unchanged, and returns the
/// status's message.
template <class Net>
std::string load_expecting(const Net& original, const fs::path& path, Kind expected) {
    Net net = original;
    const io::Status status = io::load(net, path);
    INFO(status.message());
    CHECK(status.kind() == expected);
    CHECK(!status);
    CHECK(parameter_bits(net) == parameter_bits(original));
    CHECK(net == original);
    return status.message();
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------------
// Spellings

TEST_CASE("The CRC-32 is zlib's (IEEE 802.3)", "[io][weights][crc]") {
    const std::string check = "123456789";
    const auto* first = reinterpret_cast<const std::byte*>(check.data());
    CHECK(io::detail::crc32(std::span<const std::byte>(first, check.size())) == 0xCBF43926u);
    CHECK(io::detail::crc32({}) == 0u);
    const std::array<std::byte, 4> zeros{};
    CHECK(io::detail::crc32(zeros) == 0x2144DF1Cu);  // zlib.crc32(bytes(4))
}

TEST_CASE("Activations have a C++ spelling and a file spelling", "[io][signature]") {
    CHECK(io::activation_cpp_name<Tanh>() == "ctnn::Tanh");
    CHECK(io::activation_id<Tanh>() == "tanh");
    CHECK(io::activation_id<BinaryStep>() == "binary_step");
    CHECK(io::activation_cpp_name<LeakyReLU::with<std::ratio<1, 10>>>() == "ctnn::LeakyReLU::with<std::ratio<1, 10>>");
    CHECK(io::activation_id<LeakyReLU::with<std::ratio<1, 10>>>() == "leaky_relu(1/10)");
    CHECK(io::activation_id<LeakyReLU>() == "leaky_relu(1/100)");
    CHECK(io::activation_id<LeakyReLU::with<std::ratio<2, 20>>>() == "leaky_relu(1/10)");  // std::ratio reduces
    CHECK(io::activation_id<LeakyReLU::with<std::ratio<-3, 4>>>() == "leaky_relu(-3/4)");
    CHECK(io::activation_id<ELU>() == "elu(1)");
    CHECK(io::activation_cpp_name<ELU>() == "ctnn::ELU");
    CHECK(io::activation_cpp_name<ELU::with<std::ratio<2>>>() == "ctnn::ELU::with<std::ratio<2>>");
    CHECK(io::activation_cpp_name<PReLU::with<std::ratio<2, 8>>>() == "ctnn::PReLU");  // the default, reduced
    CHECK(io::activation_cpp_name<BasicPReLU<std::ratio<2, 8>>>() == "ctnn::PReLU");   // named without `with`
    CHECK(io::activation_cpp_name<Swish>() == "ctnn::Swish");
    CHECK(io::activation_cpp_name<LeakyReLU>() == "ctnn::LeakyReLU");
    CHECK(io::activation_id<Swish::with<std::ratio<3, 2>>>() == "swish(3/2)");
    CHECK(io::activation_id<PReLU>() == "prelu(1/4)");
    CHECK(io::activation_id<RReLU>() == "rrelu(1/8,1/3)");
    CHECK(io::activation_cpp_name<RReLU>() == "ctnn::RReLU");
    CHECK(io::activation_cpp_name<RReLU::with<std::ratio<1, 3>, std::ratio<1, 3>>>() ==
          "ctnn::RReLU::with<std::ratio<1, 3>, std::ratio<1, 3>>");
}

TEMPLATE_TEST_CASE("Reading an activation's file spelling gives back its C++ spelling", "[io][signature]", Sigmoid,
                   Tanh, ReLU, Softplus, Abs, BinaryStep, Linear, Softmax, LeakyReLU,
                   (LeakyReLU::with<std::ratio<-7, 3>>), ELU, (ELU::with<std::ratio<5, 2>>), Swish,
                   (Swish::with<std::ratio<1, 2>>), PReLU, PReLU::with<std::ratio<0>>, RReLU,
                   (RReLU::with<std::ratio<1, 10>, std::ratio<1, 5>>)) {
    const auto cpp = io::detail::activation_cpp_name_from_id(io::activation_id<TestType>());
    REQUIRE(cpp.has_value());
    CHECK(*cpp == io::activation_cpp_name<TestType>());
}

TEST_CASE("File spellings that ctnn does not write are not read", "[io][signature]") {
    for (const char* id : {"", "tanh()", "Tanh", "leaky_relu", "leaky_relu()", "leaky_relu(2/20)", "leaky_relu(1/1)",
                           "leaky_relu(01/10)", "leaky_relu(-0)", "leaky_relu(1/10", "rrelu(1/8)", "rrelu(1/8,1/3,1)",
                           "elu(1,2)", "swish(x)", "gelu", "leaky_relu(1/-10)"}) {
        INFO(id);
        CHECK_FALSE(io::detail::activation_cpp_name_from_id(id).has_value());
    }
}

TEST_CASE("A network's topology has a text form and a C++ type", "[io][signature]") {
    using Net = Network<float, Input<2>, Dense<16, Tanh>, Dense<16, Tanh>, Dense<1, Sigmoid>>;
    CHECK(io::signature<Net>() == "float;2;16:tanh;16:tanh;1:sigmoid");
    CHECK(io::cpp_type<Net>() ==
          "ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>, "
          "ctnn::Dense<1, ctnn::Sigmoid>>");
    CHECK(io::cpp_type(Net{}) == io::cpp_type<Net>());
    CHECK(io::short_cpp_type(io::cpp_type<Net>()) ==
          "ctnn::Network<float, Input<2>, Dense<16, Tanh>, Dense<16, Tanh>, Dense<1, Sigmoid>>");
    CHECK(io::signature<Rich<double>>() ==
          "double;3;5:prelu(1/4);4:leaky_relu(1/10);4:elu(1/2);3:rrelu(1/8,1/3);3:softmax");
    // The instruction set is not part of the topology.
    using Scalar =
        BasicNetwork<simd::scalar_arch, float, Input<2>, Dense<16, Tanh>, Dense<16, Tanh>, Dense<1, Sigmoid>>;
    CHECK(io::signature<Scalar>() == io::signature<Net>());
    CHECK(io::cpp_type<Scalar>() == io::cpp_type<Net>());

    const io::Topology topology = io::topology<Net>();
    CHECK(topology.scalar_type == "float");
    CHECK(topology.input_size == 2);
    REQUIRE(topology.layers.size() == 3);
    CHECK(topology.layers[1].units == 16);
    CHECK(topology.layers[1].activation == "tanh");
}

TEST_CASE("A topology text reads back into the same topology", "[io][signature]") {
    const std::string text = io::signature<Rich<float>>();
    const auto parsed = io::Topology::parse(text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == io::topology<Rich<float>>());
    CHECK(parsed->text() == text);
    CHECK(parsed->cpp_type() == io::cpp_type<Rich<float>>());

    const auto unknown = io::Topology::parse("float;2;3:gelu;1:linear");
    REQUIRE(unknown.has_value());
    CHECK_FALSE(unknown->cpp_type().has_value());

    for (const char* bad : {"", "float", "float;2", "int;2;1:linear", "float;0;1:linear", "float;2;0:linear",
                            "float;02;1:linear", "float;2;1", "float;2;1:", "float;2;1:Linear", "float;2;1:linear;",
                            "float;-2;1:linear", "float;2;1:lin ear"}) {
        INFO(bad);
        CHECK_FALSE(io::Topology::parse(bad).has_value());
    }
}

TEST_CASE("Ratios and sizes of every width that ctnn writes read back", "[io][signature]") {
    // std::ratio takes any std::intmax_t but its minimum (up to 19 digits), and a size_t has up to 20 digits.
    constexpr std::intmax_t intmax = std::numeric_limits<std::intmax_t>::max();
    using Wide = Network<double, Input<1>, Dense<1, LeakyReLU::with<std::ratio<-1, 1000000000000000000>>>,
                         Dense<1, ELU::with<std::ratio<intmax, 2>>>, Dense<1, Swish::with<std::ratio<-intmax>>>>;
    CHECK(io::signature<Wide>() ==
          "double;1;1:leaky_relu(-1/1000000000000000000);1:elu(9223372036854775807/2);1:swish(-9223372036854775807)");
    const auto parsed = io::Topology::parse(io::signature<Wide>());
    REQUIRE(parsed.has_value());
    CHECK(*parsed == io::topology<Wide>());
    CHECK(parsed->cpp_type() == io::cpp_type<Wide>());
    CHECK(io::detail::activation_cpp_name_from_id("rrelu(-9223372036854775807/9223372036854775806,1)") ==
          "ctnn::RReLU::with<std::ratio<-9223372036854775807, 9223372036854775806>, std::ratio<1>>");

    // A file of such a network, loaded into another, is named by its C++ type, not by its text.
    const std::vector<std::byte> bytes = io::to_weights_bytes(Wide{});
    Network<double, Input<1>, Dense<1, Linear>> other;
    const io::Status status = io::from_weights_bytes(other, bytes, "wide.ctnn");
    CHECK(status.kind() == Kind::topology_mismatch);
    CHECK_THAT(status.message(),
               Catch::Contains("saved for ctnn::Network<double, Input<1>, Dense<1, LeakyReLU::with<std::ratio<-1, "
                               "1000000000000000000>>>, Dense<1, ELU::with<std::ratio<9223372036854775807, 2>>>"));

    const std::string max_size = std::to_string(std::numeric_limits<std::size_t>::max());
    CHECK(max_size == "18446744073709551615");
    const auto largest = io::Topology::parse("float;" + max_size + ';' + max_size + ":linear");
    REQUIRE(largest.has_value());
    CHECK(largest->input_size == std::numeric_limits<std::size_t>::max());
    CHECK(largest->layers.at(0).units == std::numeric_limits<std::size_t>::max());

    // Past the types' ranges (INTMAX_MIN, whose absolute value std::ratio cannot hold, included), and spellings
    // other than std::to_string's, are not read.
    for (const char* text : {"float;18446744073709551616;1:linear", "float;2;18446744073709551616:linear",
                             "float;+2;1:linear", "float;2;007:linear", "float;-0;1:linear"}) {
        INFO(text);
        CHECK_FALSE(io::Topology::parse(text).has_value());
    }
    for (const char* id :
         {"leaky_relu(-9223372036854775808)", "leaky_relu(9223372036854775808)", "leaky_relu(1/9223372036854775808)",
          "leaky_relu(+1)", "leaky_relu(-01/10)", "leaky_relu(1/-0)", "leaky_relu(-0/1)"}) {
        INFO(id);
        CHECK_FALSE(io::detail::activation_cpp_name_from_id(id).has_value());
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Round trips

TEMPLATE_TEST_CASE("A saved network loads back bit for bit", "[io][weights]", float, double) {
    using T = TestType;
    using Net = Rich<T>;
    TemporaryDirectory dir;
    Net net = random_network<Net>(7);
    // PReLU slopes learnt away from their initial value, and values that must survive exactly.
    net.set_parameter(3 * 5 + 5, T(-0.375));
    net.set_parameter(1, -T(0));
    net.set_parameter(2, std::numeric_limits<T>::denorm_min());

    const fs::path path = dir / "rich.ctnn";
    const io::Status saved = io::save(net, path);
    INFO(saved.message());
    REQUIRE(saved);
    CHECK(saved.message() == "ok");
    CHECK_FALSE(fs::exists(dir / "rich.ctnn.tmp"));

    const std::vector<std::byte> bytes = read_bytes(path);
    CHECK(bytes == io::to_weights_bytes(net));
    CHECK(bytes.size() == 28 + io::signature<Net>().size() + Net::parameter_count * sizeof(T) + 4);

    Net loaded;  // default: zero weights
    const io::Status status = io::load(loaded, path);
    INFO(status.message());
    REQUIRE(status);
    CHECK(status.kind() == Kind::ok);
    CHECK(parameter_bits(loaded) == parameter_bits(net));
    CHECK(loaded == net);

    Random random(11);
    for (int sample = 0; sample < 20; ++sample) {
        typename Net::input_type x;
        for (auto& v : x) v = random.normal<T>();
        const auto expected = net.forward(x);
        const auto actual = loaded.forward(x);
        CHECK(std::memcmp(expected.data(), actual.data(), sizeof expected) == 0);
    }
}

TEMPLATE_TEST_CASE("NaNs, infinities and extremes survive a save and a load", "[io][weights]", float, double) {
    using T = TestType;
    using U = io::detail::weights_bits_t<T>;
    using Net = Network<T, Input<2>, Dense<3, Linear>>;
    TemporaryDirectory dir;
    Net net;
    net.set_parameter(0, std::numeric_limits<T>::infinity());
    net.set_parameter(1, -std::numeric_limits<T>::infinity());
    net.set_parameter(2, std::bit_cast<T>(static_cast<U>(std::bit_cast<U>(std::numeric_limits<T>::quiet_NaN()) | 5u)));
    net.set_parameter(3, std::numeric_limits<T>::max());
    net.set_parameter(4, std::numeric_limits<T>::lowest());
    net.set_parameter(5, std::numeric_limits<T>::min());
    REQUIRE(io::save(net, dir / "special.ctnn"));
    Net loaded;
    REQUIRE(io::load(loaded, dir / "special.ctnn"));
    CHECK(parameter_bits(loaded) == parameter_bits(net));
}

TEST_CASE("Saving replaces an existing file and leaves no temporary file", "[io][weights][save]") {
    TemporaryDirectory dir;
    const fs::path path = dir / "net.ctnn";
    write_bytes(path, std::vector<std::byte>(1000, std::byte{0x55}));
    const Small net = random_network<Small>(3);
    REQUIRE(io::save(net, path));
    CHECK(read_bytes(path) == io::to_weights_bytes(net));
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("The same network saves to the same bytes in memory and on disk", "[io][weights]") {
    const auto net = random_network<Rich<float>>(5);
    const std::vector<std::byte> bytes = io::to_weights_bytes(net);
    Rich<float> loaded;
    const io::Status status = io::from_weights_bytes(loaded, bytes);
    INFO(status.message());
    REQUIRE(status);
    CHECK(loaded == net);
}

// ---------------------------------------------------------------------------------------------------------------------
// Loads that fail, each leaving the network unchanged

TEST_CASE("Loading a missing file fails with file_not_found", "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(1);
    const std::string message = load_expecting(original, dir / "missing.ctnn", Kind::file_not_found);
    CHECK_THAT(message, Catch::Contains("missing.ctnn") && Catch::Contains("does not exist"));
}

TEST_CASE("Loading a directory fails with unreadable", "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(1);
    load_expecting(original, dir.path(), Kind::unreadable);
}

TEST_CASE("Loading a file of another topology fails with topology_mismatch", "[io][weights][errors]") {
    TemporaryDirectory dir;
    using Base = Network<float, Input<2>, Dense<8, LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, Sigmoid>>;
    const Base original = random_network<Base>(2);

    SECTION("different units") {
        using Other = Network<float, Input<2>, Dense<9, LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, Sigmoid>>;
        REQUIRE(io::save(random_network<Other>(3), dir / "other.ctnn"));
        const std::string message = load_expecting(original, dir / "other.ctnn", Kind::topology_mismatch);
        CHECK(
            message ==
            (dir / "other.ctnn").string() +
                " was saved for ctnn::Network<float, Input<2>, Dense<9, LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, "
                "Sigmoid>>, not ctnn::Network<float, Input<2>, Dense<8, LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, "
                "Sigmoid>> (layer 1 has 9 units, not 8)");
    }
    SECTION("a different activation") {
        using Other = Network<float, Input<2>, Dense<8, ReLU>, Dense<1, Sigmoid>>;
        REQUIRE(io::save(random_network<Other>(3), dir / "other.ctnn"));
        const std::string message = load_expecting(original, dir / "other.ctnn", Kind::topology_mismatch);
        CHECK_THAT(message,
                   Catch::Contains("Dense<8, ReLU>") && Catch::Contains("(layer 1 uses relu, not leaky_relu(1/10))"));
    }
    SECTION("a different ratio parameter") {
        using Other = Network<float, Input<2>, Dense<8, LeakyReLU::with<std::ratio<1, 5>>>, Dense<1, Sigmoid>>;
        REQUIRE(io::save(random_network<Other>(3), dir / "other.ctnn"));
        const std::string message = load_expecting(original, dir / "other.ctnn", Kind::topology_mismatch);
        CHECK_THAT(message,
                   Catch::Contains("LeakyReLU::with<std::ratio<1, 5>>") && Catch::Contains("not leaky_relu(1/10)"));
    }
    SECTION("a different output activation with the same parameter count") {
        using Other = Network<float, Input<2>, Dense<8, LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, Linear>>;
        REQUIRE(io::save(random_network<Other>(3), dir / "other.ctnn"));
        load_expecting(original, dir / "other.ctnn", Kind::topology_mismatch);
    }
    SECTION("a different input size") {
        using Other = Network<float, Input<3>, Dense<8, LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, Sigmoid>>;
        REQUIRE(io::save(random_network<Other>(3), dir / "other.ctnn"));
        const std::string message = load_expecting(original, dir / "other.ctnn", Kind::topology_mismatch);
        CHECK_THAT(message, Catch::Contains("(it has 3 inputs, not 2)"));
    }
    SECTION("another layer") {
        using Other = Network<float, Input<2>, Dense<8, LeakyReLU::with<std::ratio<1, 10>>>, Dense<1, Sigmoid>,
                              Dense<1, Sigmoid>>;
        REQUIRE(io::save(random_network<Other>(3), dir / "other.ctnn"));
        const std::string message = load_expecting(original, dir / "other.ctnn", Kind::topology_mismatch);
        CHECK_THAT(message, Catch::Contains("(it has 3 dense layers, not 2)"));
    }
    SECTION("a much larger network") {
        using Other = Network<float, Input<2>, Dense<300, LeakyReLU::with<std::ratio<1, 10>>>, Dense<10, Sigmoid>>;
        REQUIRE(io::save(random_network<Other>(3), dir / "other.ctnn"));
        load_expecting(original, dir / "other.ctnn", Kind::topology_mismatch);
    }
}

TEST_CASE("Loading a file of another scalar type fails with scalar_type_mismatch", "[io][weights][errors]") {
    TemporaryDirectory dir;
    SECTION("double into float") {
        REQUIRE(io::save(random_network<Rich<double>>(4), dir / "double.ctnn"));
        const std::string message =
            load_expecting(random_network<Rich<float>>(5), dir / "double.ctnn", Kind::scalar_type_mismatch);
        CHECK_THAT(message, Catch::Contains("was saved for ctnn::Network<double, Input<3>, Dense<5, PReLU") &&
                                Catch::Contains(", not ctnn::Network<float, Input<3>"));
    }
    SECTION("float into double") {
        REQUIRE(io::save(random_network<Rich<float>>(4), dir / "float.ctnn"));
        load_expecting(random_network<Rich<double>>(5), dir / "float.ctnn", Kind::scalar_type_mismatch);
    }
}

TEST_CASE("Loading a truncated file fails with truncated, whatever its length", "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(6);
    const std::vector<std::byte> bytes = io::to_weights_bytes(random_network<Small>(7));
    const fs::path path = dir / "truncated.ctnn";
    for (std::size_t length = 0; length < bytes.size(); ++length) {
        INFO("prefix of " << length << " of " << bytes.size() << " bytes");
        write_bytes(path, std::span<const std::byte>(bytes).first(length));
        const std::string message = load_expecting(original, path, Kind::truncated);
        CHECK_THAT(message,
                   Catch::Contains("truncated.ctnn") && (Catch::Contains("truncated") || Catch::Contains("empty")));
    }
}

TEST_CASE("Loading a file with a flipped bit fails", "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(8);
    const std::vector<std::byte> good = io::to_weights_bytes(random_network<Small>(9));
    const std::size_t parameters_at = 28 + io::signature<Small>().size();

    SECTION("a flipped bit in the parameters or the checksum fails with checksum_mismatch") {
        const fs::path path = dir / "flipped.ctnn";
        for (std::size_t at = parameters_at; at < good.size(); at += 3) {
            for (int bit : {0, 7}) {
                INFO("byte " << at << ", bit " << bit);
                std::vector<std::byte> bad = good;
                bad[at] ^= std::byte{1} << bit;
                write_bytes(path, bad);
                const std::string message = load_expecting(original, path, Kind::checksum_mismatch);
                CHECK_THAT(message, Catch::Contains("is corrupted"));
            }
        }
    }
    SECTION("a flipped bit in the topology text fails with checksum_mismatch") {
        std::vector<std::byte> bad = good;
        bad[22] ^= std::byte{0x20};  // 'o' of "float" -> 'O'
        write_bytes(dir / "flipped.ctnn", bad);
        load_expecting(original, dir / "flipped.ctnn", Kind::checksum_mismatch);
    }
    SECTION("every single flipped bit anywhere is rejected") {
        for (std::size_t at = 0; at < good.size(); ++at) {
            for (int bit = 0; bit < 8; ++bit) {
                std::vector<std::byte> bad = good;
                bad[at] ^= std::byte{1} << bit;
                Small net = original;
                const io::Status status = io::from_weights_bytes(net, bad);
                INFO("byte " << at << ", bit " << bit << ": " << status.message());
                CHECK_FALSE(status);
                CHECK(net == original);
            }
        }
    }
}

TEST_CASE("Loading a file without the magic bytes fails with not_a_weights_file", "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(10);
    SECTION("one wrong magic byte") {
        std::vector<std::byte> bad = io::to_weights_bytes(random_network<Small>(11));
        bad[1] = std::byte{'X'};
        reseal(bad);
        write_bytes(dir / "bad.ctnn", bad);
        const std::string message = load_expecting(original, dir / "bad.ctnn", Kind::not_a_weights_file);
        CHECK_THAT(message, Catch::Contains("is not a ctnn weights file"));
    }
    SECTION("a text file") {
        const std::string text = "w0,w1,w2\n0.5,0.25,1\n";
        write_bytes(dir / "weights.csv",
                    std::span<const std::byte>(reinterpret_cast<const std::byte*>(text.data()), text.size()));
        load_expecting(original, dir / "weights.csv", Kind::not_a_weights_file);
    }
    SECTION("a short file that is not a prefix of the magic bytes") {
        write_bytes(dir / "short.ctnn", std::vector<std::byte>{std::byte{'C'}, std::byte{'X'}});
        load_expecting(original, dir / "short.ctnn", Kind::not_a_weights_file);
    }
}

TEST_CASE("Loading a file of another format version fails with unsupported_version", "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(12);
    std::vector<std::byte> bad = io::to_weights_bytes(random_network<Small>(13));
    bad[8] = std::byte{2};
    reseal(bad);
    write_bytes(dir / "v2.ctnn", bad);
    const std::string message = load_expecting(original, dir / "v2.ctnn", Kind::unsupported_version);
    CHECK_THAT(message, Catch::Contains("format version 2") && Catch::Contains("reads version 1 only"));
}

TEST_CASE("Loading an intact file with a wrong parameter count fails with parameter_count_mismatch",
          "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(14);
    std::vector<std::byte> bad = io::to_weights_bytes(random_network<Small>(15));
    const std::size_t count_at = 20 + io::signature<Small>().size();
    bad[count_at] = std::byte{12};  // 13 -> 12, and one parameter fewer
    bad.erase(bad.end() - 8, bad.end() - 4);
    reseal(bad);
    write_bytes(dir / "count.ctnn", bad);
    load_expecting(original, dir / "count.ctnn", Kind::parameter_count_mismatch);
}

TEST_CASE("Loading a file with bytes after the checksum fails", "[io][weights][errors]") {
    TemporaryDirectory dir;
    const Small original = random_network<Small>(16);
    std::vector<std::byte> bad = io::to_weights_bytes(random_network<Small>(17));
    SECTION("appended bytes fail the checksum") {
        bad.insert(bad.end(), 5, std::byte{0});
        write_bytes(dir / "long.ctnn", bad);
        load_expecting(original, dir / "long.ctnn", Kind::checksum_mismatch);
    }
    SECTION("bytes inserted before a matching checksum make the file malformed") {
        bad.insert(bad.end() - 4, 4, std::byte{0});
        reseal(bad);
        write_bytes(dir / "long.ctnn", bad);
        load_expecting(original, dir / "long.ctnn", Kind::not_a_weights_file);
    }
    SECTION("non-zero reserved bytes make the file malformed") {
        bad[13] = std::byte{1};
        reseal(bad);
        write_bytes(dir / "reserved.ctnn", bad);
        load_expecting(original, dir / "reserved.ctnn", Kind::not_a_weights_file);
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Saves that fail

TEST_CASE("A save that cannot write reports write_failed and leaves nothing behind", "[io][weights][save]") {
    TemporaryDirectory dir;
    const Small net = random_network<Small>(18);

    SECTION("into a directory that does not exist") {
        const io::Status status = io::save(net, dir / "no" / "such" / "dir.ctnn");
        INFO(status.message());
        CHECK(status.kind() == Kind::write_failed);
        CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 0);
    }
    SECTION("over a directory") {
        fs::create_directory(dir / "taken");
        const io::Status status = io::save(net, dir / "taken");
        INFO(status.message());
        CHECK(status.kind() == Kind::write_failed);
        CHECK(fs::is_directory(dir / "taken"));
        CHECK_FALSE(fs::exists(dir / "taken.tmp"));
    }
    SECTION("when the temporary cannot be created, the old file stays whole") {
        const Small old = random_network<Small>(19);
        REQUIRE(io::save(old, dir / "net.ctnn"));
        fs::create_directory(dir / "net.ctnn.tmp");
        const io::Status status = io::save(net, dir / "net.ctnn");
        INFO(status.message());
        CHECK(status.kind() == Kind::write_failed);
        CHECK(read_bytes(dir / "net.ctnn") == io::to_weights_bytes(old));
    }
    SECTION("to an empty path") {
        CHECK(io::save(net, fs::path()).kind() == Kind::invalid_argument);
    }
}

TEST_CASE("A status is ok by default, false when it failed, and names its kind", "[io][weights]") {
    const io::Status ok;
    CHECK(ok);
    CHECK(ok.ok());
    CHECK(ok.kind() == Kind::ok);
    const io::Status failed(Kind::truncated, "x is truncated");
    CHECK_FALSE(failed);
    CHECK(failed.message() == "x is truncated");
    CHECK(io::to_string(Kind::checksum_mismatch) == "checksum_mismatch");
    CHECK(io::to_string(Kind::parameter_count_mismatch) == "parameter_count_mismatch");
}

// ---------------------------------------------------------------------------------------------------------------------
// The exported header (its compilation is tests/export/)

TEMPLATE_TEST_CASE("Parameters are written as C++ literals that read back exactly", "[io][export]", float, double) {
    using T = TestType;
    Random random(20);
    std::vector<T> values = {T(0),
                             -T(0),
                             T(1),
                             T(-2),
                             T(0.1),
                             T(1e10),
                             T(1e-10),
                             std::numeric_limits<T>::max(),
                             std::numeric_limits<T>::min(),
                             std::numeric_limits<T>::denorm_min(),
                             std::numeric_limits<T>::lowest()};
    for (int k = 0; k < 200; ++k) values.push_back(random.normal<T>() * std::pow(T(10), T(k % 20 - 10)));
    for (const T value : values) {
        std::string literal = io::detail::cpp_literal(value);
        INFO(literal);
        if constexpr (std::is_same_v<T, float>) {
            REQUIRE(literal.back() == 'f');
            literal.pop_back();
        }
        CHECK(literal.find_first_of(".e") != std::string::npos);
        T back{};
        const auto result = std::from_chars(literal.data(), literal.data() + literal.size(), back);
        CHECK(result.ec == std::errc());
        CHECK(result.ptr == literal.data() + literal.size());
        CHECK(std::bit_cast<io::detail::weights_bits_t<T>>(back) ==
              std::bit_cast<io::detail::weights_bits_t<T>>(value));
    }
    CHECK(io::detail::cpp_literal(std::numeric_limits<float>::infinity()) ==
          "std::bit_cast<float>(std::uint32_t{2139095040u})");
}

TEST_CASE("The exported header declares the type, the parameters and the network", "[io][export]") {
    const auto net = random_network<Small>(21);
    const std::string text = io::export_header_text(net, "firmware::xor_model");
    CHECK_THAT(text, Catch::Contains("#include <ctnn/ctnn.hpp>") && Catch::Contains("namespace firmware::xor_model {"));
    CHECK_THAT(text, Catch::Contains("using Network = " + io::cpp_type<Small>() + ";"));
    CHECK_THAT(text, Catch::Contains("inline constexpr std::array<float, 13> parameters = {"));
    CHECK_THAT(text, Catch::Contains("inline constexpr Network network = Network::from_parameters(parameters);"));
    CHECK_THAT(text, Catch::Contains("inline constexpr char topology[] = \"float;2;3:tanh;1:sigmoid\";"));
    CHECK_THAT(text, Catch::Contains(io::detail::cpp_literal(net.parameter(12)) + ","));
}

TEST_CASE("Exporting a header writes the file, or refuses a name that is no namespace", "[io][export]") {
    TemporaryDirectory dir;
    const auto net = random_network<Small>(22);
    const io::Status status = io::export_header(net, dir / "model.hpp", "model");
    INFO(status.message());
    REQUIRE(status);
    const std::vector<std::byte> bytes = read_bytes(dir / "model.hpp");
    CHECK(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()) ==
          io::export_header_text(net, "model"));
    for (const char* bad : {"", "9lives", "my-model", "a::", "::a", "a:::b", "namespace", "int", "x y"}) {
        INFO(bad);
        CHECK(io::export_header(net, dir / "bad.hpp", bad).kind() == Kind::invalid_argument);
    }
    CHECK_FALSE(fs::exists(dir / "bad.hpp"));
    CHECK(io::detail::is_namespace_name("a::b_2::_c"));
}
