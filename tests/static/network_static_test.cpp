// Compile-time checks of ctnn::Network and the concepts a network is built from (STYLE rules 4, 6 and 12).
// Compiling this file is the test: it is built as the OBJECT library ctnn_static_tests and holds nothing but
// static_asserts and the constexpr helpers they use.
//
// Every expected size is computed here from the topology as written (widths and activations), never from the
// library's own layout code, so that a change to the layout has to agree with an independent count.
// Type-level misuse that the library rejects with a static_assert in a class body cannot be tested here (naming
// ctnn::Network<int, ...> in a requires-expression does not instantiate it); those rules are covered, message by
// message, by tests/compile_fail/.

#include <ctnn/activation.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/detail/sample_types.hpp>
#include <ctnn/input.hpp>
#include <ctnn/loss.hpp>
#include <ctnn/network.hpp>
#include <ctnn/simd/arch.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn_static_test {

using ctnn::Abs;
using ctnn::BinaryStep;
using ctnn::Dense;
using ctnn::ELU;
using ctnn::Input;
using ctnn::LeakyReLU;
using ctnn::Linear;
using ctnn::PReLU;
using ctnn::ReLU;
using ctnn::RReLU;
using ctnn::Sigmoid;
using ctnn::Softmax;
using ctnn::Softplus;
using ctnn::Swish;
using ctnn::Tanh;
using ctnn::simd::default_arch;
using ctnn::simd::scalar_arch;

// ---------------------------------------------------------------------------------------------------------------------
// An independent description of a topology: the widths from the input to the output, and which layers carry a learned
// slope per unit (PReLU).

template <std::size_t Layers>
struct topology {
    std::array<std::size_t, Layers + 1> widths;
    std::array<bool, Layers> learned_slope;

    // Weights, biases and slopes, as PyTorch counts them.
    [[nodiscard]] constexpr std::size_t parameters() const {
        std::size_t n = 0;
        for (std::size_t l = 0; l < Layers; ++l) {
            n += widths[l] * widths[l + 1] + widths[l + 1] + (learned_slope[l] ? widths[l + 1] : 0);
        }
        return n;
    }

    // The most padding a layout may add when every row of Out values is rounded up to whole registers of `width`
    // lanes: width - 1 scalars per row, and a layer has In weight rows, a bias row and perhaps a slope row.
    [[nodiscard]] constexpr std::size_t padding_bound(std::size_t width) const {
        std::size_t n = 0;
        for (std::size_t l = 0; l < Layers; ++l) n += (widths[l] + 1 + (learned_slope[l] ? 1 : 0)) * (width - 1);
        return n;
    }
};

// Every spec below pairs the library's declaration (`net<Arch, T>`) with the same topology written as numbers.

struct mlp_2_16_16_1 {
    template <class Arch, class T>
    using net = ctnn::BasicNetwork<Arch, T, Input<2>, Dense<16, ReLU>, Dense<16, Tanh>, Dense<1, Sigmoid>>;
    static constexpr topology<3> shape{{2, 16, 16, 1}, {false, false, false}};
};

struct mlp_1_1 {
    template <class Arch, class T>
    using net = ctnn::BasicNetwork<Arch, T, Input<1>, Dense<1, Linear>>;
    static constexpr topology<1> shape{{1, 1}, {false}};
};

struct mlp_3_5prelu_2 {
    template <class Arch, class T>
    using net = ctnn::BasicNetwork<Arch, T, Input<3>, Dense<5, PReLU>, Dense<2, Linear>>;
    static constexpr topology<2> shape{{3, 5, 2}, {true, false}};
};

// RReLU draws its slopes at random and stores none.
struct mlp_7_3rrelu_9_4 {
    template <class Arch, class T>
    using net = ctnn::BasicNetwork<Arch, T, Input<7>, Dense<3, RReLU>, Dense<9, ELU>, Dense<4, Softmax>>;
    static constexpr topology<3> shape{{7, 3, 9, 4}, {false, false, false}};
};

// Widths that are multiples of every register width: no padding on any architecture.
struct mlp_8_32_16 {
    template <class Arch, class T>
    using net = ctnn::BasicNetwork<Arch, T, Input<8>, Dense<32, PReLU>, Dense<16, Linear>>;
    static constexpr topology<2> shape{{8, 32, 16}, {true, false}};
};

// Every activation once, with odd widths so that most rows are padded.
struct mlp_every_activation {
    template <class Arch, class T>
    using net =
        ctnn::BasicNetwork<Arch, T, Input<4>, Dense<3, Sigmoid>, Dense<5, Tanh>, Dense<2, ReLU>, Dense<6, Softplus>,
                           Dense<3, LeakyReLU>, Dense<4, ELU>, Dense<5, Swish>, Dense<3, PReLU>, Dense<2, RReLU>,
                           Dense<7, Abs>, Dense<3, BinaryStep>, Dense<5, Linear>, Dense<3, Softmax>>;
    static constexpr topology<13> shape{
        {4, 3, 5, 2, 6, 3, 4, 5, 3, 2, 7, 3, 5, 3},
        {false, false, false, false, false, false, false, true, false, false, false, false, false}};
};

struct mlp_784_128_64_10 {
    template <class Arch, class T>
    using net = ctnn::BasicNetwork<Arch, T, Input<784>, Dense<128, ReLU>, Dense<64, ReLU>, Dense<10, Softmax>>;
    static constexpr topology<3> shape{{784, 128, 64, 10}, {false, false, false}};
};

// The layout rules every network obeys, for one spec, architecture and scalar type.
template <class Spec, class Arch, class T>
struct layout_checks {
    using Net = typename Spec::template net<Arch, T>;
    static constexpr std::size_t width = ctnn::simd::width<T, Arch>;
    static constexpr std::size_t layers = Spec::shape.learned_slope.size();

    static_assert(width >= 1 && (width & (width - 1)) == 0, "a register holds a power of two lanes");
    static_assert(std::is_same_v<typename Net::value_type, T>);
    static_assert(std::is_same_v<typename Net::arch_type, Arch>);
    static_assert(Net::input_size == Spec::shape.widths.front());
    static_assert(Net::output_size == Spec::shape.widths.back());
    static_assert(Net::layer_count == layers);
    // layer_input_size<I> and layer_output_size<I> are the widths on either side of Dense layer I.
    static_assert([]<std::size_t... I>(std::index_sequence<I...>) {
        return ((Net::template layer_input_size<I> == Spec::shape.widths[I] &&
                 Net::template layer_output_size<I> == Spec::shape.widths[I + 1]) &&
                ...);
    }(std::make_index_sequence<layers>{}));
    static_assert(Net::parameter_count == Spec::shape.parameters());

    // The object is the parameters and their padding, nothing else (STYLE rule 4).
    static_assert(sizeof(Net) == Net::storage_size * sizeof(T));
    static_assert(Net::storage_size >= Net::parameter_count);
    static_assert(Net::storage_size <= Net::parameter_count + Spec::shape.padding_bound(width));
    static_assert(alignof(Net) == Net::alignment && Net::alignment >= alignof(T));

    static_assert(std::is_trivially_copyable_v<Net>);
    static_assert(std::is_nothrow_default_constructible_v<Net>);

    static_assert(std::is_same_v<typename Net::input_type, std::array<T, Net::input_size>>);
    static_assert(std::is_same_v<typename Net::output_type, std::array<T, Net::output_size>>);
    static_assert(std::is_same_v<
                  decltype(std::declval<const Net&>().forward(std::declval<const std::array<T, Net::input_size>&>())),
                  std::array<T, Net::output_size>>);
    static_assert(noexcept(std::declval<const Net&>().forward(std::declval<const std::array<T, Net::input_size>&>())));
    static_assert(
        std::is_same_v<decltype(std::declval<const Net&>().storage()), std::span<const T, Net::storage_size>>);

    static constexpr bool ok = true;
};

template <class Spec>
inline constexpr bool layout_holds =
    layout_checks<Spec, default_arch, float>::ok&& layout_checks<Spec, default_arch, double>::ok&&
        layout_checks<Spec, scalar_arch, float>::ok&& layout_checks<Spec, scalar_arch, double>::ok;

static_assert(layout_holds<mlp_2_16_16_1>);
static_assert(layout_holds<mlp_1_1>);
static_assert(layout_holds<mlp_3_5prelu_2>);
static_assert(layout_holds<mlp_7_3rrelu_9_4>);
static_assert(layout_holds<mlp_8_32_16>);
static_assert(layout_holds<mlp_every_activation>);
static_assert(layout_holds<mlp_784_128_64_10>);

// ---------------------------------------------------------------------------------------------------------------------
// The canonical parameter order, in constant expressions

// Every canonical index has its own place in the storage.
template <class Net>
constexpr bool storage_index_is_injective() {
    std::array<bool, Net::storage_size> taken{};
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        const std::size_t s = Net::storage_index(k);
        if (s >= Net::storage_size || taken[s]) return false;
        taken[s] = true;
    }
    return true;
}

// from_parameters, read_parameters and parameter agree on the canonical order.
template <class Net>
constexpr bool parameters_round_trip() {
    using T = typename Net::value_type;
    std::array<T, Net::parameter_count> in{};
    for (std::size_t k = 0; k < in.size(); ++k) in[k] = static_cast<T>(k + 1);
    const Net net = Net::from_parameters(in);
    std::array<T, Net::parameter_count> out{};
    net.read_parameters(out);
    for (std::size_t k = 0; k < in.size(); ++k) {
        if (out[k] != in[k] || net.parameter(k) != in[k]) return false;
    }
    return true;
}

// A fresh network is zero except for PReLU slopes, which start at 1/4: `slopes` lists the canonical index of each
// layer's first slope and the layer's width, as counted from the topology.
template <class Net, std::size_t N>
constexpr bool fresh_network_is_zero_but_slopes(std::array<std::pair<std::size_t, std::size_t>, N> slopes) {
    using T = typename Net::value_type;
    const Net net{};
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        bool slope = false;
        for (const auto& [first, count] : slopes) slope = slope || (k >= first && k < first + count);
        if (net.parameter(k) != (slope ? T(1) / T(4) : T(0))) return false;
    }
    return true;
}

template <class Spec>
constexpr bool canonical_order_holds() {
    return storage_index_is_injective<typename Spec::template net<default_arch, float>>() &&
           storage_index_is_injective<typename Spec::template net<default_arch, double>>() &&
           storage_index_is_injective<typename Spec::template net<scalar_arch, float>>() &&
           parameters_round_trip<typename Spec::template net<default_arch, float>>() &&
           parameters_round_trip<typename Spec::template net<default_arch, double>>() &&
           parameters_round_trip<typename Spec::template net<scalar_arch, double>>();
}

static_assert(canonical_order_holds<mlp_2_16_16_1>());
static_assert(canonical_order_holds<mlp_1_1>());
static_assert(canonical_order_holds<mlp_3_5prelu_2>());
static_assert(canonical_order_holds<mlp_7_3rrelu_9_4>());
static_assert(canonical_order_holds<mlp_every_activation>());

// 3-5(PReLU)-2: weights 0..14, bias 15..19, slopes 20..24, then the Linear layer.
static_assert(fresh_network_is_zero_but_slopes<mlp_3_5prelu_2::net<default_arch, float>, 1>({{{20, 5}}}));
static_assert(fresh_network_is_zero_but_slopes<mlp_3_5prelu_2::net<scalar_arch, double>, 1>({{{20, 5}}}));
// The PReLU layer of the every-activation network is its 8th (5 -> 3): its slopes follow the 127 parameters of the
// layers before it and its own 5 * 3 weights and 3 biases.
inline constexpr std::size_t every_activation_first_slope = 127 + 5 * 3 + 3;
static_assert(fresh_network_is_zero_but_slopes<mlp_every_activation::net<default_arch, float>, 1>(
    {{{every_activation_first_slope, 3}}}));
static_assert(fresh_network_is_zero_but_slopes<mlp_2_16_16_1::net<default_arch, double>, 0>({}));

// ---------------------------------------------------------------------------------------------------------------------
// Sizes and parameter counts, written out by hand

using Net2 = ctnn::Network<float, Input<2>, Dense<16, ReLU>, Dense<16, Tanh>, Dense<1, Sigmoid>>;
static_assert(std::is_same_v<Net2, mlp_2_16_16_1::net<default_arch, float>>);
static_assert(Net2::input_size == 2);
static_assert(Net2::output_size == 1);
static_assert(Net2::layer_count == 3);
static_assert(Net2::parameter_count == (2 * 16 + 16) + (16 * 16 + 16) + (16 * 1 + 1));
static_assert(Net2::parameter_count == 337);
static_assert(std::is_same_v<Net2::output_activation, Sigmoid>);

static_assert(ctnn::Network<double, Input<1>, Dense<1, Linear>>::parameter_count == 2);
static_assert(ctnn::Network<double, Input<1>, Dense<1, Linear>>::layer_count == 1);

// PReLU adds one learned slope per unit; RReLU, whose slopes are random, adds none.
static_assert(ctnn::Network<float, Input<3>, Dense<5, PReLU>, Dense<2, Linear>>::parameter_count ==
              (3 * 5 + 5 + 5) + (5 * 2 + 2));
static_assert(ctnn::Network<float, Input<3>, Dense<5, PReLU>, Dense<2, Linear>>::parameter_count ==
              ctnn::Network<float, Input<3>, Dense<5, ReLU>, Dense<2, Linear>>::parameter_count + 5);
static_assert(ctnn::Network<float, Input<3>, Dense<5, RReLU>, Dense<2, Linear>>::parameter_count ==
              ctnn::Network<float, Input<3>, Dense<5, ReLU>, Dense<2, Linear>>::parameter_count);
static_assert(
    ctnn::Network<float, Input<3>, Dense<5, ReLU>, Dense<2, PReLU::with<std::ratio<1, 10>>>>::parameter_count ==
    (3 * 5 + 5) + (5 * 2 + 2 + 2));

using Every = mlp_every_activation::net<default_arch, float>;
static_assert(Every::layer_count == 13);
static_assert(Every::input_size == 4 && Every::output_size == 3);
static_assert(Every::parameter_count == (4 * 3 + 3) + (3 * 5 + 5) + (5 * 2 + 2) + (2 * 6 + 6) + (6 * 3 + 3) +
                                            (3 * 4 + 4) + (4 * 5 + 5) + (5 * 3 + 3 + 3) + (3 * 2 + 2) + (2 * 7 + 7) +
                                            (7 * 3 + 3) + (3 * 5 + 5) + (5 * 3 + 3));
static_assert(Every::parameter_count == 239);
static_assert(std::is_same_v<Every::output_activation, Softmax>);

// Each layer is fed by the one before it: users never repeat a width (STYLE rule 3).
static_assert(Every::layers::at<0>::input_size == 4 && Every::layers::at<0>::output_size == 3);
static_assert(Every::layers::at<7>::input_size == 5 && Every::layers::at<7>::output_size == 3);
static_assert(Every::layers::at<12>::input_size == 5 && Every::layers::at<12>::output_size == 3);

// Without SIMD there is no padding at all: the object is exactly its parameters.
template <class T>
using Scalar2 = ctnn::BasicNetwork<scalar_arch, T, Input<2>, Dense<16, ReLU>, Dense<16, Tanh>, Dense<1, Sigmoid>>;
static_assert(ctnn::simd::width<float, scalar_arch> == 1 && ctnn::simd::width<double, scalar_arch> == 1);
static_assert(Scalar2<float>::storage_size == Scalar2<float>::parameter_count);
static_assert(sizeof(Scalar2<float>) == 337 * sizeof(float));
static_assert(sizeof(Scalar2<double>) == 337 * sizeof(double));
static_assert(mlp_every_activation::net<scalar_arch, float>::storage_size == 239);
static_assert(sizeof(mlp_every_activation::net<scalar_arch, double>) == 239 * sizeof(double));
static_assert(mlp_3_5prelu_2::net<scalar_arch, double>::storage_size == 37);
static_assert(mlp_7_3rrelu_9_4::net<scalar_arch, float>::storage_size == (7 * 3 + 3) + (3 * 9 + 9) + (9 * 4 + 4));

// Widths that fill whole registers need no padding on any architecture up to 512 bits.
static_assert(mlp_8_32_16::net<default_arch, float>::storage_size ==
              mlp_8_32_16::net<default_arch, float>::parameter_count);
static_assert(mlp_8_32_16::net<default_arch, double>::storage_size ==
              mlp_8_32_16::net<default_arch, double>::parameter_count);

#if defined(CTNN_FORCE_SCALAR)
static_assert(std::is_same_v<default_arch, scalar_arch>, "CTNN_FORCE_SCALAR selects the scalar kernels");
#endif

// A 784-128-64-10 MNIST classifier: 109,386 floats of parameters, 437,544 bytes, plus at most the padding of its
// 10-unit output rows (65 rows).
using Mnist = ctnn::Network<float, Input<784>, Dense<128, ReLU>, Dense<64, ReLU>, Dense<10, Softmax>>;
inline constexpr std::size_t mnist_parameters = 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10;
static_assert(mnist_parameters == 109'386);
static_assert(Mnist::parameter_count == mnist_parameters);
static_assert(sizeof(Mnist) >= 437'544);
static_assert(sizeof(Mnist) <=
              437'544 + (784 + 1 + 128 + 1 + 64 + 1) * (ctnn::simd::width<float, default_arch> - 1) * sizeof(float));
static_assert(sizeof(Mnist) <= 437'544 + 65 * (ctnn::simd::width<float, default_arch> - 1) * sizeof(float));
static_assert(sizeof(mlp_784_128_64_10::net<scalar_arch, float>) == 437'544);
static_assert(sizeof(mlp_784_128_64_10::net<scalar_arch, double>) == 2 * 437'544);

// Inputs and outputs have fixed extents: an input of the wrong length or type does not compile (STYLE rule 11). Samples
// (std::arrays of floating point) of the wrong length or type reach the overload that rejects them with one sentence
// (detail/sample_types.hpp, tests/compile_fail/samples_*.cpp), so a requires-expression sees a call; anything else
// finds no forward at all.
template <class Net, class X>
concept can_forward = requires(const Net& net, const X& x) {
    net.forward(x);
};
static_assert(can_forward<Net2, std::array<float, 2>>);
static_assert(!ctnn::detail::WrongSamplesFor<Net2, std::array<float, 2>>);
static_assert(ctnn::detail::WrongSamplesFor<Net2, std::array<float, 3>>);
static_assert(ctnn::detail::WrongSamplesFor<Net2, std::array<float, 1>>);
static_assert(ctnn::detail::WrongSamplesFor<Net2, std::array<double, 2>>);
static_assert(ctnn::detail::WrongSamplesFor<Net2, std::vector<std::array<double, 2>>>);
static_assert(
    ctnn::detail::WrongSamplesFor<Net2, std::span<const std::array<float, 2>>, std::vector<std::array<double, 1>>>);
static_assert(
    !ctnn::detail::WrongSamplesFor<Net2, std::vector<std::array<float, 2>>, std::vector<std::array<float, 1>>>);
// Class labels are not samples: an overload taking them is never shadowed by the rejecting one.
static_assert(!ctnn::detail::WrongSamplesFor<Net2, std::vector<std::array<float, 2>>, std::vector<std::size_t>>);
static_assert(!ctnn::detail::WrongSamplesFor<Net2, std::vector<int>>);
static_assert(!ctnn::detail::WrongSamplesFor<int, std::array<double, 2>>);
static_assert(!can_forward<Net2, float>);
static_assert(!can_forward<Net2, std::vector<int>>);
static_assert(std::is_same_v<decltype(std::declval<const Net2&>().forward({1.0f, 2.0f})), std::array<float, 1>>);
static_assert(std::is_same_v<decltype(std::declval<const Mnist&>().forward(std::declval<const Mnist::input_type&>())),
                             std::array<float, 10>>);

// ---------------------------------------------------------------------------------------------------------------------
// What an activation is

template <class... Acts>
struct type_list {};

using all_activations =
    type_list<Sigmoid, Tanh, ReLU, Softplus, LeakyReLU, ELU, Swish, PReLU, RReLU, Abs, BinaryStep, Linear, Softmax>;

template <class... Acts>
constexpr bool all_are_activations(type_list<Acts...>) {
    return (ctnn::Activation<Acts> && ...);
}
static_assert(all_are_activations(all_activations{}));

static_assert(ctnn::Activation<Sigmoid>);
static_assert(ctnn::Activation<Tanh>);
static_assert(ctnn::Activation<ReLU>);
static_assert(ctnn::Activation<Softplus>);
static_assert(ctnn::Activation<LeakyReLU>);
static_assert(ctnn::Activation<LeakyReLU::with<std::ratio<1, 5>>>);
static_assert(ctnn::Activation<ELU>);
static_assert(ctnn::Activation<ELU::with<std::ratio<1, 2>>>);
static_assert(ctnn::Activation<Swish>);
static_assert(ctnn::Activation<Swish::with<std::ratio<2>>>);
static_assert(ctnn::Activation<PReLU>);
static_assert(ctnn::Activation<PReLU::with<std::ratio<1, 10>>>);
static_assert(ctnn::Activation<RReLU>);
static_assert(ctnn::Activation<RReLU::with<std::ratio<1, 10>, std::ratio<1, 10>>>);
static_assert(ctnn::Activation<Abs>);
static_assert(ctnn::Activation<BinaryStep>);
static_assert(ctnn::Activation<Linear>);
static_assert(ctnn::Activation<Softmax>);

// The parametric activations are types with PyTorch's defaults; `::with<...>` names others, and with the default
// ratios (reduced or not) it names the very same type, so both spellings are interchangeable.
static_assert(std::is_same_v<LeakyReLU::with<std::ratio<1, 100>>, LeakyReLU>);
static_assert(std::is_same_v<LeakyReLU::with<std::ratio<2, 200>>, LeakyReLU>);
static_assert(std::is_same_v<ELU::with<std::ratio<1>>, ELU>);
static_assert(std::is_same_v<Swish::with<std::ratio<1>>, Swish>);
static_assert(std::is_same_v<PReLU::with<std::ratio<1, 4>>, PReLU>);
static_assert(std::is_same_v<RReLU::with<std::ratio<1, 8>, std::ratio<1, 3>>, RReLU>);
static_assert(!std::is_same_v<LeakyReLU::with<std::ratio<1, 5>>, LeakyReLU>);
static_assert(!std::is_same_v<RReLU::with<std::ratio<1, 8>, std::ratio<1, 2>>, RReLU>);
static_assert(std::is_same_v<LeakyReLU::with<std::ratio<1, 5>>::with<std::ratio<1, 100>>, LeakyReLU>);
static_assert(std::is_same_v<ctnn::BasicLeakyReLU<std::ratio<1, 100>>, LeakyReLU>);
static_assert(std::is_same_v<ctnn::BasicELU<std::ratio<1>>, ELU>);
static_assert(std::is_same_v<ctnn::BasicSwish<std::ratio<1>>, Swish>);
static_assert(std::is_same_v<ctnn::BasicPReLU<std::ratio<1, 4>>, PReLU>);
static_assert(std::is_same_v<ctnn::BasicRReLU<std::ratio<1, 8>, std::ratio<1, 3>>, RReLU>);
static_assert(std::is_same_v<Dense<8, PReLU>, Dense<8, PReLU::with<std::ratio<1, 4>>>>);
static_assert(std::ratio_equal_v<PReLU::initial_slope, std::ratio<1, 4>>);
static_assert(std::ratio_equal_v<RReLU::lower, std::ratio<1, 8>> && std::ratio_equal_v<RReLU::upper, std::ratio<1, 3>>);

// Unit-by-unit activations without parameters of their own.
static_assert(ctnn::ElementwiseActivation<Sigmoid> && !ctnn::SlopedActivation<Sigmoid>);
static_assert(ctnn::ElementwiseActivation<Tanh> && !ctnn::SlopedActivation<Tanh>);
static_assert(ctnn::ElementwiseActivation<ReLU> && !ctnn::SlopedActivation<ReLU>);
static_assert(ctnn::ElementwiseActivation<Softplus> && !ctnn::SlopedActivation<Softplus>);
static_assert(ctnn::ElementwiseActivation<LeakyReLU> && !ctnn::SlopedActivation<LeakyReLU>);
static_assert(ctnn::ElementwiseActivation<ELU> && !ctnn::SlopedActivation<ELU>);
static_assert(ctnn::ElementwiseActivation<Swish> && !ctnn::SlopedActivation<Swish>);
static_assert(ctnn::ElementwiseActivation<Abs> && !ctnn::SlopedActivation<Abs>);
static_assert(ctnn::ElementwiseActivation<BinaryStep> && !ctnn::SlopedActivation<BinaryStep>);
static_assert(ctnn::ElementwiseActivation<Linear> && !ctnn::SlopedActivation<Linear>);

// Leaky rectifiers with a slope per unit: learned (PReLU) or drawn at random (RReLU).
static_assert(ctnn::SlopedActivation<PReLU> && !ctnn::ElementwiseActivation<PReLU>);
static_assert(ctnn::SlopedActivation<RReLU> && !ctnn::ElementwiseActivation<RReLU>);
static_assert(ctnn::has_learned_slope<PReLU> && !ctnn::has_random_slope<PReLU>);
static_assert(ctnn::has_random_slope<RReLU> && !ctnn::has_learned_slope<RReLU>);
static_assert(!ctnn::has_learned_slope<ReLU> && !ctnn::has_random_slope<ReLU>);
static_assert(!ctnn::has_learned_slope<LeakyReLU> && !ctnn::has_random_slope<LeakyReLU>);
static_assert(!ctnn::has_learned_slope<Softmax> && !ctnn::has_random_slope<Softmax>);

// Softmax couples its units: neither shape, an activation only by name.
static_assert(!ctnn::ElementwiseActivation<Softmax> && !ctnn::SlopedActivation<Softmax>);

// Things that are not activations.
struct value_only {
    static float value(float z) { return z; }
    static double value(double z) { return z; }
};
struct float_only {
    static float value(float z) { return z; }
    static float derivative(float, float) { return 1; }
};
struct returns_int {
    static int value(float) { return 0; }
    static int derivative(float, float) { return 0; }
    static int value(double) { return 0; }
    static int derivative(double, double) { return 0; }
};
struct sloped_without_flag {
    static float value(float z, float a) { return z * a; }
    static float derivative(float, float a) { return a; }
    static float slope_derivative(float z) { return z; }
};

static_assert(!ctnn::Activation<int>);
static_assert(!ctnn::Activation<float>);
static_assert(!ctnn::Activation<void>);
static_assert(!ctnn::Activation<value_only>);
static_assert(!ctnn::Activation<float_only>);
static_assert(!ctnn::Activation<returns_int>);
static_assert(!ctnn::Activation<sloped_without_flag>);
static_assert(!ctnn::Activation<ctnn::MeanSquaredError>);
static_assert(!ctnn::Activation<Input<2>>);
static_assert(!ctnn::Activation<Dense<2, ReLU>>);

// ---------------------------------------------------------------------------------------------------------------------
// Losses and the output units they train

using ctnn::BinaryCrossEntropy;
using ctnn::CategoricalCrossEntropy;
using ctnn::MeanSquaredError;
using ctnn::MSELoss;

static_assert(ctnn::Loss<MeanSquaredError>);
static_assert(ctnn::Loss<MSELoss>);
static_assert(ctnn::Loss<BinaryCrossEntropy>);
static_assert(ctnn::Loss<CategoricalCrossEntropy>);
static_assert(!ctnn::Loss<int>);
static_assert(!ctnn::Loss<void>);
static_assert(!ctnn::Loss<ReLU>);
static_assert(!ctnn::Loss<Softmax>);
static_assert(!ctnn::Loss<Net2>);

// Exactly four pairs train: each squared error with Linear, BCE with Sigmoid, CCE with Softmax.
static_assert(ctnn::loss_pairs_with<MeanSquaredError, Linear>);
static_assert(ctnn::loss_pairs_with<MSELoss, Linear>);
static_assert(ctnn::loss_pairs_with<BinaryCrossEntropy, Sigmoid>);
static_assert(ctnn::loss_pairs_with<CategoricalCrossEntropy, Softmax>);

static_assert(!ctnn::loss_pairs_with<MeanSquaredError, Softmax>);
static_assert(!ctnn::loss_pairs_with<MeanSquaredError, Sigmoid>);
static_assert(!ctnn::loss_pairs_with<MeanSquaredError, Tanh>);
static_assert(!ctnn::loss_pairs_with<MSELoss, Softmax>);
static_assert(!ctnn::loss_pairs_with<MSELoss, Sigmoid>);
static_assert(!ctnn::loss_pairs_with<BinaryCrossEntropy, Linear>);
static_assert(!ctnn::loss_pairs_with<BinaryCrossEntropy, Softmax>);
static_assert(!ctnn::loss_pairs_with<CategoricalCrossEntropy, Sigmoid>);
static_assert(!ctnn::loss_pairs_with<CategoricalCrossEntropy, Linear>);
static_assert(!ctnn::loss_pairs_with<Linear, MeanSquaredError>);
static_assert(!ctnn::loss_pairs_with<int, Linear>);

template <class Loss, class... Acts>
constexpr std::size_t partners(type_list<Acts...>) {
    return (std::size_t{ctnn::loss_pairs_with<Loss, Acts>} + ...);
}
static_assert(partners<MeanSquaredError>(all_activations{}) == 1);
static_assert(partners<MSELoss>(all_activations{}) == 1);
static_assert(partners<BinaryCrossEntropy>(all_activations{}) == 1);
static_assert(partners<CategoricalCrossEntropy>(all_activations{}) == 1);
static_assert(partners<int>(all_activations{}) == 0);

// Class labels: integers and bool, in contiguous sequences (std::vector<bool> is not one).
static_assert(ctnn::ClassLabels<std::vector<std::size_t>>);
static_assert(ctnn::ClassLabels<std::vector<int>>);
static_assert(ctnn::ClassLabels<std::array<bool, 3>>);
static_assert(ctnn::ClassLabels<std::span<const std::uint8_t>>);
static_assert(!ctnn::ClassLabels<std::vector<bool>>);
static_assert(!ctnn::ClassLabels<std::vector<float>>);
static_assert(!ctnn::ClassLabels<std::vector<std::array<float, 3>>>);
static_assert(!ctnn::ClassLabels<int>);

}  // namespace ctnn_static_test
