// Compiled, not run: every path of the core, training and reduced-precision networks instantiated with AVX-512
// (and VNNI, F16C) code generation, at the optimisation level the build gives (tests/CMakeLists.txt builds it at -O2
// and at -Os) and with warnings as errors. GCC 12.0 to 12.2 warn inside their own AVX-512 intrinsics wherever they
// are inlined (simd/arch.hpp), and which paths inline what depends on the optimisation level, so a program built
// with -march=native on an AVX-512 machine is checked here on any x86 machine, whether or not its CPU has AVX-512.
#include <ctnn/bfloat16_network.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/float16_network.hpp>
#include <ctnn/quantized_network.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

namespace {

template <class Net, class Loss, class Optimizer>
float train(Net& net, std::span<const typename Net::input_type> xs, std::span<const typename Net::output_type> ts) {
    ctnn::Trainer<Net, Loss, Optimizer> trainer(net, {});
    trainer.clip_gradients(5);
    float loss = float(trainer.step(xs[0], ts[0]).loss);
    loss += float(trainer.train_epoch(xs, ts, 4).loss);
    return loss + float(trainer.train_random_samples(xs, ts, 8).loss);
}

template <class Net, class Loss, bool ReducedPrecision>
float exercise(std::size_t seed) {
    using T = typename Net::value_type;
    Net net;
    ctnn::Random random(seed);
    ctnn::init::normal_inverse_fan_in(net, random);
    std::vector<typename Net::input_type> xs(16);
    std::vector<typename Net::output_type> ts(16);
    for (auto& x : xs)
        for (auto& v : x) v = random.normal<T>();
    for (auto& t : ts) t[random.below(Net::output_size)] = T(1);
    std::vector<typename Net::output_type> ys(16);
    net.forward(std::span<const typename Net::input_type>(xs), std::span<typename Net::output_type>(ys));
    ctnn::Gradients<Net> g;
    float sum = float(ctnn::backward<Loss>(net, std::span(xs), std::span(ts), g)) + float(net.forward(xs[0])[0]);
    sum += train<Net, Loss, ctnn::SGD<>>(net, xs, ts) + train<Net, Loss, ctnn::Adam<>>(net, xs, ts) +
           train<Net, Loss, ctnn::Momentum<>>(net, xs, ts);
    if constexpr (ReducedPrecision) {
        const auto half = ctnn::to_float16(net);
        const auto brain = ctnn::to_bfloat16(net);
        half.forward(std::span<const typename Net::input_type>(xs), std::span<typename Net::output_type>(ys));
        brain.forward(std::span<const typename Net::input_type>(xs), std::span<typename Net::output_type>(ys));
        sum += half.forward(xs[0])[0] + brain.forward(xs[0])[0];
        const std::span<const typename Net::input_type> calibration(xs);
        const auto q = ctnn::quantize(net, calibration);
        const auto fixed = ctnn::quantize<ctnn::FixedPointRequantizer>(net, calibration);
        q.forward(std::span<const typename Net::input_type>(xs), std::span<typename Net::output_type>(ys));
        fixed.forward(std::span<const typename Net::input_type>(xs), std::span<typename Net::output_type>(ys));
        sum += q.forward(xs[0])[0] + fixed.forward(xs[0])[0] + float(q.predict_class(xs[0]));
    }
    return sum;
}

}  // namespace

float ctnn_avx512_warnings_exercise() {
    using namespace ctnn;
    return exercise<Network<float, Input<2>, Dense<16, Tanh>, Dense<16, ReLU>, Dense<1, Sigmoid>>, BinaryCrossEntropy,
                    true>(1) +
           exercise<Network<float, Input<784>, Dense<128, ReLU>, Dense<64, ReLU>, Dense<10, Softmax>>,
                    CategoricalCrossEntropy, true>(2) +
           exercise<Network<float, Input<7>, Dense<3, Abs>, Dense<33, ELU>, Dense<9, Softplus>, Dense<5, Linear>>,
                    MeanSquaredError, false>(3) +
           exercise<Network<double, Input<5>, Dense<9, PReLU>, Dense<17, Tanh>, Dense<3, Softmax>>,
                    CategoricalCrossEntropy, false>(4);
}
