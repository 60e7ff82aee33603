// The C++ side of the interop tests (tests/interop/*_test.py): a program with a few topologies compiled in, which
// loads ctnn weights files written by the tools (pytorch_interop.py, onnx_import.py, sklearn_import.py) and saves
// random networks for them to read.
//
//   run_network <topology> signature             prints the topology's text (ctnn::io::signature)
//   run_network <topology> forward <weights>     loads the file, reads inputs from stdin (whitespace-separated,
//                                                input_size per sample), prints one line of outputs per sample
//   run_network <topology> random <weights> <seed>   saves a random network (weights, biases, PReLU slopes)
//   run_network <topology> header <weights> <namespace>   loads the file, prints ctnn::io::export_header_text
//
// A failed load or save prints the status's message to stderr and exits with 1.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>
#include <ctnn/io/signature.hpp>
#include <ctnn/io/weights.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <ratio>
#include <string>

namespace {

// tanh, relu and a softmax output; float.
using TanhReluSoftmax = ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<6, ctnn::ReLU>,
                                      ctnn::Dense<4, ctnn::Softmax>>;
// prelu, leaky, elu and a sigmoid output; float.
using PreluLeakyEluSigmoid =
    ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<7, ctnn::PReLU>,
                  ctnn::Dense<5, ctnn::LeakyReLU::with<std::ratio<1, 10>>>,
                  ctnn::Dense<6, ctnn::ELU::with<std::ratio<1, 2>>>, ctnn::Dense<2, ctnn::Sigmoid>>;
// softplus, silu, rrelu and a linear output; double.
using SoftplusSiluRreluLinear =
    ctnn::Network<double, ctnn::Input<2>, ctnn::Dense<5, ctnn::Softplus>, ctnn::Dense<5, ctnn::Swish>,
                  ctnn::Dense<4, ctnn::RReLU>, ctnn::Dense<3, ctnn::Linear>>;

// SiLU (ONNX's Sigmoid then Mul) between a ReLU and a sigmoid output.
using ReluSiluSigmoid = ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<6, ctnn::ReLU>, ctnn::Dense<5, ctnn::Swish>,
                                      ctnn::Dense<2, ctnn::Sigmoid>>;

// Softplus, an identity between layers and a tanh output; double (ONNX).
using SoftplusLinearTanh = ctnn::Network<double, ctnn::Input<5>, ctnn::Dense<6, ctnn::Softplus>,
                                         ctnn::Dense<4, ctnn::Linear>, ctnn::Dense<3, ctnn::Tanh>>;
// The shapes of scikit-learn's MLPs fitted on its bundled data sets in sklearn_test.py.
using IrisReluSoftmax =
    ctnn::Network<double, ctnn::Input<4>, ctnn::Dense<10, ctnn::ReLU>, ctnn::Dense<3, ctnn::Softmax>>;
using CancerTanhSigmoid =
    ctnn::Network<double, ctnn::Input<30>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
using DiabetesSigmoidLinear = ctnn::Network<double, ctnn::Input<10>, ctnn::Dense<8, ctnn::Sigmoid>,
                                            ctnn::Dense<6, ctnn::Sigmoid>, ctnn::Dense<1, ctnn::Linear>>;
using WineLinearSoftmax =
    ctnn::Network<float, ctnn::Input<13>, ctnn::Dense<5, ctnn::Linear>, ctnn::Dense<3, ctnn::Softmax>>;
using MultilabelReluSigmoid =
    ctnn::Network<double, ctnn::Input<4>, ctnn::Dense<6, ctnn::ReLU>, ctnn::Dense<2, ctnn::Sigmoid>>;
// Large enough (524,800 parameters) that export_header names the -fconstexpr-steps clang needs.
using WideLinear = ctnn::Network<float, ctnn::Input<1024>, ctnn::Dense<512, ctnn::Linear>>;

template <class Net>
int run(int argc, char** argv) {
    using T = typename Net::value_type;
    const std::string command = argv[2];
    if (command == "signature" && argc == 3) {
        std::printf("%s\n", ctnn::io::signature<Net>().c_str());
        return 0;
    }
    if (command == "random" && argc == 5) {
        static Net net;
        ctnn::Random random(std::strtoull(argv[4], nullptr, 10));
        ctnn::init::normal_inverse_fan_in(net, random);
        for (std::size_t k = 0; k < Net::parameter_count; ++k) {  // PReLU slopes away from their initial value
            if (net.parameter(k) == T(0.25)) net.set_parameter(k, random.uniform<T>(T(0.05), T(0.5)));
        }
        const ctnn::io::Status status = ctnn::io::save(net, argv[3]);
        if (!status) {
            std::fprintf(stderr, "run_network: %s\n", status.message().c_str());
            return 1;
        }
        return 0;
    }
    if ((command == "forward" && argc == 4) || (command == "header" && argc == 5)) {
        static Net net;
        const ctnn::io::Status status = ctnn::io::load(net, argv[3]);
        if (!status) {
            std::fprintf(stderr, "run_network: %s: %s\n", std::string(ctnn::io::to_string(status.kind())).c_str(),
                         status.message().c_str());
            return 1;
        }
        if (command == "header") {
            std::fputs(ctnn::io::export_header_text(net, argv[4]).c_str(), stdout);
            return 0;
        }
        for (;;) {
            typename Net::input_type x;
            for (std::size_t i = 0; i < x.size(); ++i) {
                double v = 0;
                if (std::scanf("%lf", &v) != 1) {
                    if (i == 0) return 0;
                    std::fprintf(stderr, "run_network: an incomplete sample on stdin\n");
                    return 1;
                }
                x[i] = static_cast<T>(v);
            }
            const auto y = net.forward(x);
            for (std::size_t k = 0; k < y.size(); ++k) {
                std::printf(k == 0 ? "%.*g" : " %.*g", std::numeric_limits<T>::max_digits10, static_cast<double>(y[k]));
            }
            std::printf("\n");
        }
    }
    std::fprintf(stderr, "run_network: unknown command or wrong arguments\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3) {
        if (std::strcmp(argv[1], "tanh_relu_softmax") == 0) return run<TanhReluSoftmax>(argc, argv);
        if (std::strcmp(argv[1], "prelu_leaky_elu_sigmoid") == 0) return run<PreluLeakyEluSigmoid>(argc, argv);
        if (std::strcmp(argv[1], "softplus_silu_rrelu_linear") == 0) return run<SoftplusSiluRreluLinear>(argc, argv);
        if (std::strcmp(argv[1], "softplus_linear_tanh") == 0) return run<SoftplusLinearTanh>(argc, argv);
        if (std::strcmp(argv[1], "relu_silu_sigmoid") == 0) return run<ReluSiluSigmoid>(argc, argv);
        if (std::strcmp(argv[1], "iris_relu_softmax") == 0) return run<IrisReluSoftmax>(argc, argv);
        if (std::strcmp(argv[1], "cancer_tanh_sigmoid") == 0) return run<CancerTanhSigmoid>(argc, argv);
        if (std::strcmp(argv[1], "diabetes_sigmoid_linear") == 0) return run<DiabetesSigmoidLinear>(argc, argv);
        if (std::strcmp(argv[1], "wine_linear_softmax") == 0) return run<WineLinearSoftmax>(argc, argv);
        if (std::strcmp(argv[1], "multilabel_relu_sigmoid") == 0) return run<MultilabelReluSigmoid>(argc, argv);
        if (std::strcmp(argv[1], "wide_linear") == 0) return run<WideLinear>(argc, argv);
    }
    std::fprintf(stderr,
                 "usage: run_network <topology> signature | forward <weights> | random <weights> <seed>\n"
                 "                              | header <weights> <namespace>\n"
                 "  topologies: tanh_relu_softmax prelu_leaky_elu_sigmoid softplus_silu_rrelu_linear\n"
                 "    softplus_linear_tanh relu_silu_sigmoid iris_relu_softmax cancer_tanh_sigmoid\n"
                 "    diabetes_sigmoid_linear wine_linear_softmax multilabel_relu_sigmoid wide_linear\n");
    return 2;
}
