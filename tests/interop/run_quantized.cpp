// The C++ side of the quantization interop test (tests/interop/quantized_test.py): loads a float network's ctnn
// weights file, quantizes it with ctnn::quantize and prints every parameter and every quantum, for the test to compare
// with PyTorch's eager-mode quantization on the QNNPACK engine.
//
//   run_quantized <topology> signature
//   run_quantized <topology> quantize <weights> <calibration> [<ranges>]
//
// <calibration>: whitespace-separated samples (input_size values each) that ctnn::Calibration observes; or, with
// <ranges>, a file of 2 x (layer_count + 1) values, the minimum and maximum of the input's observer then of each
// layer's (PyTorch's min_val, max_val): each observer then sees those two values only, so that both sides quantize
// the same ranges (the float passes that produce the ranges sum in another order than PyTorch's).
// Then reads probe samples from stdin and prints, each float as C's %a (exact):
//   range <k> <min> <max>                        k = 0 the input, k = i + 1 layer i
//   input <scale> <zero point>
//   layer <i> linear <scale> <zp> output <scale> <zp>
//   weight_scales <i> <scale per unit>
//   weights <i> <int8 weights, [out][in] row-major>
//   bias <i> <int32 bias per unit, at s_in s_w, before the input's zero point is folded in>
//   multipliers <i> <float requantization multiplier per unit>
//   quanta <every quantum of forward_quanta>     one line per probe
//   output <forward's outputs>                   one line per probe
//   class <predict_class>                        one line per probe

#include <ctnn/ctnn.hpp>
#include <ctnn/io/signature.hpp>
#include <ctnn/io/weights.hpp>
#include <ctnn/quantized_network.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using ctnn::Dense;
using ctnn::Input;

using ReluSoftmax =
    ctnn::Network<float, Input<8>, Dense<16, ctnn::ReLU>, Dense<16, ctnn::ReLU>, Dense<3, ctnn::Softmax>>;
using TanhLinear = ctnn::Network<float, Input<8>, Dense<16, ctnn::Tanh>, Dense<16, ctnn::Tanh>, Dense<3, ctnn::Linear>>;
using ReluSigmoid =
    ctnn::Network<float, Input<6>, Dense<12, ctnn::ReLU>, Dense<8, ctnn::Linear>, Dense<1, ctnn::Sigmoid>>;
using SigmoidTanh = ctnn::Network<float, Input<5>, Dense<10, ctnn::Sigmoid>, Dense<4, ctnn::Tanh>>;

bool read_floats(std::FILE* file, float* values, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) {
        double v = 0;
        if (std::fscanf(file, "%lf", &v) != 1) return false;
        values[k] = static_cast<float>(v);
    }
    return true;
}

void print_list(const char* name, std::size_t layer, const auto& values) {
    std::printf("%s %zu", name, layer);
    for (const auto v : values) {
        if constexpr (std::is_floating_point_v<std::decay_t<decltype(v)>>) {
            std::printf(" %a", static_cast<double>(v));
        } else {
            std::printf(" %lld", static_cast<long long>(v));
        }
    }
    std::printf("\n");
}

template <class Net>
int run(int argc, char** argv) {
    using Q = ctnn::QuantizedNetwork<Net>;
    const std::string command = argv[2];
    if (command == "signature" && argc == 3) {
        std::printf("%s\n", ctnn::io::signature<Net>().c_str());
        return 0;
    }
    if (command != "quantize" || (argc != 5 && argc != 6)) return 2;
    const auto net = std::make_unique<Net>();
    const ctnn::io::Status status = ctnn::io::load(*net, argv[3]);
    if (!status) {
        std::fprintf(stderr, "run_quantized: %s\n", status.message().c_str());
        return 1;
    }
    ctnn::Calibration<Net> calibration;
    std::FILE* file = std::fopen(argv[argc == 6 ? 5 : 4], "r");
    if (file == nullptr) {
        std::fprintf(stderr, "run_quantized: cannot open %s\n", argv[argc == 6 ? 5 : 4]);
        return 1;
    }
    if (argc == 6) {
        std::array<float, 2> range{};
        for (std::size_t k = 0; k <= Net::layer_count; ++k) {
            if (!read_floats(file, range.data(), 2)) {
                std::fprintf(stderr, "run_quantized: the ranges file is short\n");
                return 1;
            }
            ctnn::MinMaxObserver& observer = k == 0 ? calibration.input() : calibration.layer(k - 1);
            observer.observe(std::span<const float>(range));
        }
    } else {
        typename Net::input_type x;
        while (read_floats(file, x.data(), x.size())) calibration.observe(*net, x);
    }
    std::fclose(file);

    const auto q = std::make_unique<Q>(*net, calibration);
    for (std::size_t k = 0; k <= Net::layer_count; ++k) {
        const ctnn::MinMaxObserver& observer = k == 0 ? calibration.input() : calibration.layer(k - 1);
        std::printf("range %zu %a %a\n", k, static_cast<double>(observer.min_value()),
                    static_cast<double>(observer.max_value()));
    }
    std::printf("input %a %d\n", static_cast<double>(q->input_qparams().scale), q->input_qparams().zero_point);
    std::int32_t z_in = q->input_qparams().zero_point;
    ctnn::detail::static_for<Net::layer_count>([&](auto i) {
        const auto& layer = q->template layer<i>();
        using L = std::decay_t<decltype(layer)>;
        std::printf("layer %zu linear %a %d output %a %d\n", static_cast<std::size_t>(i),
                    static_cast<double>(layer.linear_qparams.scale), layer.linear_qparams.zero_point,
                    static_cast<double>(layer.output_qparams.scale), layer.output_qparams.zero_point);
        std::vector<int> weights;
        std::vector<long long> bias;
        for (std::size_t o = 0; o < L::output_size; ++o) {
            long long row_sum = 0;
            for (std::size_t k = 0; k < L::input_size; ++k) {
                weights.push_back(layer.weights(o, k));
                row_sum += layer.weights(o, k);
            }
            bias.push_back(layer.bias[o] + static_cast<long long>(z_in) * row_sum);
        }
        print_list("weight_scales", i, layer.weight_scales);
        print_list("weights", i, weights);
        print_list("bias", i, bias);
        print_list("multipliers", i, layer.multipliers);
        z_in = layer.output_qparams.zero_point;
    });
    std::vector<std::uint8_t> quanta(Q::quanta_size);
    typename Net::input_type x;
    while (read_floats(stdin, x.data(), x.size())) {
        const auto y = q->forward_quanta(x, std::span<std::uint8_t, Q::quanta_size>(quanta.data(), Q::quanta_size));
        print_list("quanta", 0, quanta);
        print_list("output", 0, y);
        std::printf("class 0 %zu\n", q->predict_class(x));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3) {
        if (std::strcmp(argv[1], "relu_softmax") == 0) return run<ReluSoftmax>(argc, argv);
        if (std::strcmp(argv[1], "tanh_linear") == 0) return run<TanhLinear>(argc, argv);
        if (std::strcmp(argv[1], "relu_sigmoid") == 0) return run<ReluSigmoid>(argc, argv);
        if (std::strcmp(argv[1], "sigmoid_tanh") == 0) return run<SigmoidTanh>(argc, argv);
    }
    std::fprintf(stderr,
                 "usage: run_quantized <topology> signature | quantize <weights> <calibration> [<ranges>]\n"
                 "  topologies: relu_softmax tanh_linear relu_sigmoid sigmoid_tanh\n");
    return 2;
}
