// The int8 matrix-vector kernels (ctnn/simd/int8_kernels.hpp) against the float dense kernel (simd::affine, float and
// bfloat16 weights) on the layers of the 784-128-64-10 network, one sample at a time:
//
//   int8/layer/<in>x<out>/int8            int8_matvec<default_arch>: acc = bias, then the uint8 x int8 sums
//   int8/layer/<in>x<out>/int8-portable   int8_matvec_portable (the scalar loop, as the compiler vectorises it)
//   int8/layer/<in>x<out>/float           simd::affine with float weights
//   int8/layer/<in>x<out>/bf16            simd::affine with bfloat16 weights
//   int8/layer/<in>x<out>/int8-widening   (AVX2 builds) the other exact AVX2 schemes: both operands widened to int16,
//   int8/layer/<in>x<out>/int8-maddubs    pmaddwd into int32 (16 inputs a step); pmaddubsw on activations masked to
//                                         every other byte, so that each int16 lane holds one product and never
//                                         saturates, then pmaddwd by ones into int32 (32 inputs a step). The library's
//                                         AVX2 kernel splits activations into nibbles (simd/int8_x86.hpp)
//   int8/mlp/784-128-64-10/int8           the three layers: int8 sums, then a requantisation to uint8 with ReLU
//                                         (a fixed-point multiplier and shift, clamped to 0 .. 255)
//   int8/mlp/784-128-64-10/float          the three layers: simd::affine, then ReLU (the output layer's softmax left
//                                         out of both)
//
//   int8/forward/<net>/int8               ctnn::QuantizedNetwork<Net>::forward(x), one sample, cycling through 32
//                                         inputs (quantize the input, every int8 layer, dequantize the output)
//   int8/forward/<net>/int8-fixed         the same with ctnn::FixedPointRequantizer
//   int8/forward/<net>/float              Net::forward(x), the float network it was quantized from
//   int8/forward_batch_256/<net>/<kind>   forward(inputs, outputs) over 256 samples, int8 and float
//                                         for <net> = 2-16-16-1, 64-128-128-10 and 784-128-64-10
//                                         (bench/support/topologies.hpp: the seeded parameters and inputs; the int8
//                                         networks calibrated on the 256 inputs)
//
// Each case checks its sums against an exact reference before it is timed; the networks' int8 cases check that the
// batch forward gives the one-sample forward's outputs bit for bit and that the int8 outputs are near the float ones.
// The ratio int8 / float is the figure of interest; tools/bench's --count mode (callgrind) works here too
// (--count=<name>).

#include <ctnn/quantized_network.hpp>
#include <ctnn/simd/arch.hpp>
#include <ctnn/simd/int8_kernels.hpp>
#include <ctnn/simd/kernels.hpp>

#include "support/common.hpp"
#include "support/topologies.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace {

namespace simd = ctnn::simd;
using Arch = simd::default_arch;

constexpr std::size_t stride_of(std::size_t in) {
    return (in + 3) / 4 * 4;
}

#if CTNN_INT8_AVX2
/// The maddubs scheme for the comparison above: activations split into their even and odd bytes (the other byte of
/// each 16-bit lane zero), so that pmaddubsw's pair sum is a single product, 255 * -128 at the least.
struct int8_avx2_maddubs {
    struct halves {
        __m256i even, odd;
    };
    static constexpr std::size_t chunk = 32, rows = 4;  // one sample at a time only
    using x_type = halves;
    using acc_type = __m256i;

    static halves load_x(const std::uint8_t* p) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        const __m256i low_bytes = _mm256_set1_epi16(0x00ff);
        return {_mm256_and_si256(v, low_bytes), _mm256_andnot_si256(low_bytes, v)};
    }
    template <std::size_t Bytes>
    static __m256i load_w(const std::int8_t* p) {
        if constexpr (Bytes == chunk)
            return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        else if constexpr (Bytes > 16)
            return _mm256_set_m128i(simd::detail::load_partial_128<Bytes - 16>(p + 16),
                                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
        else
            return _mm256_zextsi128_si256(simd::detail::load_partial_128<Bytes>(p));
    }
    static __m256i mac(__m256i acc, halves x, __m256i w) {
        const __m256i ones = _mm256_set1_epi16(1);
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(x.even, w), ones));
        return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(x.odd, w), ones));
    }
    static std::int32_t sum(__m256i v) {
        return simd::detail::int8_sse2::sum(_mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
    }
};

/// The widened scheme on AVX2: 16 activations zero-extended and 16 weights sign-extended to int16, pmaddwd into int32.
struct int8_avx2_widening {
    static constexpr std::size_t chunk = 16, rows = 8;
    using x_type = __m256i;
    using acc_type = __m256i;

    static __m256i load_x(const std::uint8_t* p) {
        return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    template <std::size_t Bytes>
    static __m256i load_w(const std::int8_t* p) {
        return _mm256_cvtepi8_epi16(simd::detail::load_partial_128<Bytes>(p));
    }
    static __m256i mac(__m256i acc, __m256i x, __m256i w) { return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w)); }
    static std::int32_t sum(__m256i v) { return int8_avx2_maddubs::sum(v); }
};
#endif

enum class Kind { int8, int8_portable, int8_maddubs, int8_widening, float32, bfloat16 };

constexpr const char* kind_name(Kind k) {
    switch (k) {
        case Kind::int8:
            return "int8";
        case Kind::int8_portable:
            return "int8-portable";
        case Kind::int8_maddubs:
            return "int8-maddubs";
        case Kind::int8_widening:
            return "int8-widening";
        case Kind::float32:
            return "float";
        case Kind::bfloat16:
            return "bf16";
    }
    return "";
}

/// One dense layer, In inputs to Out outputs, in every representation (seeded values).
template <std::size_t In, std::size_t Out>
struct Layer {
    static constexpr std::size_t stride = stride_of(In), padded = simd::padded<float, Arch>(Out);
    std::array<std::int8_t, Out * stride> w8{};
    std::array<std::int32_t, Out> bias8{};
    alignas(64) std::array<float, In * padded> w{};
    alignas(64) std::array<std::uint16_t, In * padded> w16{};
    alignas(64) std::array<float, padded> b{};

    explicit Layer(ctnn::Random& random) {
        for (std::size_t o = 0; o < Out; ++o) {
            for (std::size_t i = 0; i < In; ++i) {
                w8[o * stride + i] = static_cast<std::int8_t>(random() >> 24);
                w[i * padded + o] = random.normal<float>() * 0.05f;
                w16[i * padded + o] = ctnn::round_to_bfloat16(w[i * padded + o]);
            }
            bias8[o] = static_cast<std::int32_t>(random() >> 16) - 32768;
            b[o] = random.normal<float>() * 0.05f;
        }
    }

    /// The int8 sums: acc = bias + W x, with the kernel of `K`.
    template <Kind K>
    void int8_sums(const std::uint8_t* x, std::int32_t* acc) const {
        std::copy(bias8.begin(), bias8.end(), acc);
        if constexpr (K == Kind::int8)
            simd::int8_matvec<Arch, Out, In, stride>(x, w8.data(), acc);
        else if constexpr (K == Kind::int8_portable)
            simd::int8_matvec_portable<Out, In, stride>(x, w8.data(), acc);
#if CTNN_INT8_AVX2
        else if constexpr (K == Kind::int8_maddubs)
            simd::detail::int8_samples<int8_avx2_maddubs, Out, In, stride, 1, int8_avx2_maddubs::rows>(x, In, w8.data(),
                                                                                                       acc);
        else
            simd::detail::int8_samples<int8_avx2_widening, Out, In, stride, 1, int8_avx2_widening::rows>(
                x, In, w8.data(), acc);
#endif
    }
};

/// An exact reference of the int8 sums, in int64.
template <std::size_t In, std::size_t Out>
std::string check_int8(const Layer<In, Out>& layer, const std::uint8_t* x, const std::int32_t* acc) {
    for (std::size_t o = 0; o < Out; ++o) {
        std::int64_t want = layer.bias8[o];
        for (std::size_t i = 0; i < In; ++i) want += std::int64_t{x[i]} * layer.w8[o * Layer<In, Out>::stride + i];
        if (want != acc[o]) return "int8 sum " + std::to_string(o) + " differs from the exact sum";
    }
    return "";
}

/// One layer's single-sample product in representation K.
template <std::size_t In, std::size_t Out, Kind K>
struct LayerCase {
    static constexpr std::size_t samples_per_iteration = 1, macs_per_sample = In * Out;
    static std::string name() {
        return "int8/layer/" + std::to_string(In) + "x" + std::to_string(Out) + "/" + kind_name(K);
    }
    ctnn::Random random{In * 7 + Out};
    Layer<In, Out> layer{random};
    std::array<std::uint8_t, In> x8{};
    alignas(64) std::array<float, In> x{};
    std::array<std::int32_t, Out> acc{};
    alignas(64) std::array<float, Layer<In, Out>::padded> z{};

    LayerCase() {
        for (std::size_t i = 0; i < In; ++i) {
            x8[i] = static_cast<std::uint8_t>(random() >> 24);
            x[i] = random.uniform<float>();
        }
    }
    void run() {
        if constexpr (K == Kind::float32)
            simd::affine<Arch, In, Layer<In, Out>::padded>(layer.w.data(), layer.b.data(), x.data(), z.data());
        else if constexpr (K == Kind::bfloat16)
            simd::affine<Arch, In, Layer<In, Out>::padded>(layer.w16.data(), layer.b.data(), x.data(), z.data());
        else
            layer.template int8_sums<K>(x8.data(), acc.data());
    }
    std::string check() {
        run();
        if constexpr (K == Kind::float32 || K == Kind::bfloat16) {
            for (std::size_t o = 0; o < Out; ++o) {
                double want = layer.b[o];
                for (std::size_t i = 0; i < In; ++i) {
                    const float wi = K == Kind::float32 ? layer.w[i * layer.padded + o]
                                                        : ctnn::bfloat16_to_float(layer.w16[i * layer.padded + o]);
                    want += double{wi} * double{x[i]};
                }
                if (std::abs(want - double{z[o]}) > 1e-3) return "float sum " + std::to_string(o) + " is wrong";
            }
            return "";
        } else {
            return check_int8(layer, x8.data(), acc.data());
        }
    }
};

/// uint8 activations of the next layer from int32 sums: ReLU and a fixed-point rescale, (acc * multiplier) >> 24,
/// clamped to 255 (gemmlowp's requantisation without its rounding).
template <std::size_t N>
void requantise_relu(const std::int32_t* acc, std::uint8_t* y) {
    constexpr std::int64_t multiplier = 1 << 10;
    for (std::size_t o = 0; o < N; ++o) {
        const std::int64_t v = (std::int64_t{acc[o]} * multiplier) >> 24;
        y[o] = static_cast<std::uint8_t>(std::clamp<std::int64_t>(v, 0, 255));
    }
}

/// The 784-128-64-10 network's three layers, one sample.
template <Kind K>
struct MlpCase {
    static constexpr std::size_t samples_per_iteration = 1, macs_per_sample = 784 * 128 + 128 * 64 + 64 * 10;
    static std::string name() { return std::string("int8/mlp/784-128-64-10/") + kind_name(K); }
    ctnn::Random random{784};
    Layer<784, 128> l1{random};
    Layer<128, 64> l2{random};
    Layer<64, 10> l3{random};
    std::array<std::uint8_t, 784> x8{};
    std::array<std::uint8_t, 128> h1_8{};
    std::array<std::uint8_t, 64> h2_8{};
    std::array<std::int32_t, 128> acc1{};
    std::array<std::int32_t, 64> acc2{};
    std::array<std::int32_t, 10> acc3{};
    alignas(64) std::array<float, 784> x{};
    alignas(64) std::array<float, Layer<784, 128>::padded> h1{};
    alignas(64) std::array<float, Layer<128, 64>::padded> h2{};
    alignas(64) std::array<float, Layer<64, 10>::padded> out{};

    MlpCase() {
        for (std::size_t i = 0; i < 784; ++i) {
            x8[i] = static_cast<std::uint8_t>(random() >> 24);
            x[i] = random.uniform<float>();
        }
    }
    void run() {
        if constexpr (K == Kind::float32) {
            const auto relu = [](auto v) { return ctnn::ReLU::value(v); };
            constexpr std::size_t p1 = Layer<784, 128>::padded, p2 = Layer<128, 64>::padded, p3 = Layer<64, 10>::padded;
            simd::affine<Arch, 784, p1>(l1.w.data(), l1.b.data(), x.data(), h1.data());
            simd::transform<Arch, p1>(h1.data(), h1.data(), relu);
            simd::affine<Arch, 128, p2>(l2.w.data(), l2.b.data(), h1.data(), h2.data());
            simd::transform<Arch, p2>(h2.data(), h2.data(), relu);
            simd::affine<Arch, 64, p3>(l3.w.data(), l3.b.data(), h2.data(), out.data());
        } else {
            l1.template int8_sums<K>(x8.data(), acc1.data());
            requantise_relu<128>(acc1.data(), h1_8.data());
            l2.template int8_sums<K>(h1_8.data(), acc2.data());
            requantise_relu<64>(acc2.data(), h2_8.data());
            l3.template int8_sums<K>(h2_8.data(), acc3.data());
        }
    }
    std::string check() {
        run();
        if constexpr (K == Kind::float32)
            return "";  // the layers' cases check simd::affine
        else
            return check_int8(l3, h2_8.data(), acc3.data());
    }
};

enum class Network { int8, int8_fixed, float32 };

constexpr const char* network_kind_name(Network k) {
    return k == Network::int8 ? "int8" : (k == Network::int8_fixed ? "int8-fixed" : "float");
}

/// A float network with the seeded parameters and inputs, and its int8 network calibrated on those inputs.
template <class Net, Network K>
struct Networks {
    using Topo = ctnn_bench::topology_of_t<Net>;
    using Requantizer =
        std::conditional_t<K == Network::int8_fixed, ctnn::FixedPointRequantizer, ctnn::FloatRequantizer>;
    using Quantized = ctnn::QuantizedNetwork<Net, Requantizer>;
    std::unique_ptr<Net> net = ctnn_bench::make_network<Net>();
    ctnn_bench::Data<Topo> data = ctnn_bench::make_data<Topo>();
    std::unique_ptr<Quantized> quantized = std::make_unique<Quantized>(
        ctnn::quantize<Requantizer>(*net, std::span<const typename Net::input_type>(data.inputs)));

    /// The int8 outputs of the first `samples` inputs, one at a time, within 0.1 (a few quanta of a layer's output
    /// scale on these networks) of the float ones: a sanity check of the pass, which the tests check quantum by
    /// quantum.
    std::string check_near_float(std::size_t samples) const {
        for (std::size_t s = 0; s < samples; ++s) {
            const auto got = quantized->forward(data.inputs[s]);
            const auto want = net->forward(data.inputs[s]);
            for (std::size_t k = 0; k < got.size(); ++k) {
                if (!(std::fabs(got[k] - want[k]) <= 0.1f))
                    return "int8 output " + std::to_string(k) + " of sample " + std::to_string(s) + ": " +
                           std::to_string(got[k]) + ", float " + std::to_string(want[k]);
            }
        }
        return "";
    }
};

/// One sample through the whole network, int8 or float.
template <class Net, Network K>
struct ForwardCase : Networks<Net, K> {
    using Topo = ctnn_bench::topology_of_t<Net>;
    static constexpr std::size_t samples_per_iteration = 1, macs_per_sample = Topo::macs;
    static std::string name() { return "int8/forward/" + Topo::name() + "/" + network_kind_name(K); }
    std::size_t s = 0;

    std::string check() const { return K == Network::float32 ? "" : this->check_near_float(ctnn_bench::sample_pool); }
    void run() {
        if constexpr (K == Network::float32) {
            auto y = this->net->forward(this->data.inputs[s]);
            benchmark::DoNotOptimize(y);
        } else {
            auto y = this->quantized->forward(this->data.inputs[s]);
            benchmark::DoNotOptimize(y);
        }
        s = (s + 1) % ctnn_bench::sample_pool;
    }
};

/// forward(inputs, outputs) over `Batch` samples, int8 or float.
template <class Net, Network K, std::size_t Batch>
struct BatchCase : Networks<Net, K> {
    using Topo = ctnn_bench::topology_of_t<Net>;
    static constexpr std::size_t samples_per_iteration = Batch, macs_per_sample = Topo::macs;
    static std::string name() {
        return "int8/forward_batch_" + std::to_string(Batch) + "/" + Topo::name() + "/" + network_kind_name(K);
    }
    std::vector<typename Net::output_type> outputs = std::vector<typename Net::output_type>(Batch);

    std::string check() {
        if constexpr (K == Network::float32) {
            return "";
        } else {
            run();
            for (std::size_t s = 0; s < Batch; ++s) {
                if (outputs[s] != this->quantized->forward(this->data.inputs[s]))
                    return "the batch forward differs from the one-sample forward at sample " + std::to_string(s);
            }
            return this->check_near_float(Batch);
        }
    }
    void run() {
        const std::span<const typename Net::input_type> in(this->data.inputs.data(), Batch);
        const std::span<typename Net::output_type> out(outputs.data(), Batch);
        if constexpr (K == Network::float32)
            this->net->forward(in, out);
        else
            this->quantized->forward(in, out);
        benchmark::DoNotOptimize(outputs.data());
    }
};

template <class Net>
void add_network() {
    ctnn_bench::add<ForwardCase<Net, Network::int8>>();
    ctnn_bench::add<ForwardCase<Net, Network::int8_fixed>>();
    ctnn_bench::add<ForwardCase<Net, Network::float32>>();
    ctnn_bench::add<BatchCase<Net, Network::int8, 256>>();
    ctnn_bench::add<BatchCase<Net, Network::int8_fixed, 256>>();
    ctnn_bench::add<BatchCase<Net, Network::float32, 256>>();
}

template <std::size_t In, std::size_t Out>
void add_layer() {
    ctnn_bench::add<LayerCase<In, Out, Kind::int8>>();
    ctnn_bench::add<LayerCase<In, Out, Kind::int8_portable>>();
#if CTNN_INT8_AVX2
    ctnn_bench::add<LayerCase<In, Out, Kind::int8_maddubs>>();
    ctnn_bench::add<LayerCase<In, Out, Kind::int8_widening>>();
#endif
    ctnn_bench::add<LayerCase<In, Out, Kind::float32>>();
    ctnn_bench::add<LayerCase<In, Out, Kind::bfloat16>>();
}

}  // namespace

int main(int argc, char** argv) {
    add_layer<784, 128>();
    add_layer<128, 64>();
    add_layer<64, 10>();
    ctnn_bench::add<MlpCase<Kind::int8>>();
    ctnn_bench::add<MlpCase<Kind::float32>>();
    add_network<ctnn_bench::Net_2_16_16_1>();
    add_network<ctnn_bench::Net_64_128_128_10>();
    add_network<ctnn_bench::Net_784_128_64_10>();
    return ctnn_bench::main(argc, argv);
}
