# Compile-fail tests (STYLE rule 8), included by tests/CMakeLists.txt. One misuse per file; each test passes only if
# the compiler's output matches the regex, a distinctive plain-words part of the library's static_assert message.
# Every file compiles cleanly with -DCTNN_COMPILE_FAIL_FIXED, which switches it to the correct spelling.
#
#                          <name>                                  <file>                                      <regex>

# ctnn::Network<T, Input<N>, Layers...> (network.hpp)
ctnn_add_compile_fail_test(non_floating_scalar                    non_floating_scalar.cpp                    "T must be a floating-point type \\(float or double\\)")
ctnn_add_compile_fail_test(arch_not_an_arch                       arch_not_an_arch.cpp                       "Arch must be ctnn::simd::scalar_arch or an xsimd architecture")
ctnn_add_compile_fail_test(first_layer_not_input                  first_layer_not_input.cpp                  "the first layer must be ctnn::Input")
ctnn_add_compile_fail_test(no_layers                              no_layers.cpp                              "at least one ctnn::Dense layer must follow the input")
ctnn_add_compile_fail_test(layer_not_dense                        layer_not_dense.cpp                        "every layer after the input must be ctnn::Dense")
ctnn_add_compile_fail_test(hidden_softmax                         hidden_softmax.cpp                         "only the output layer may use Softmax")

# The specs (input.hpp, dense.hpp)
ctnn_add_compile_fail_test(input_without_values                   input_without_values.cpp                   "Input[<]N[>]: N must be at least 1")
ctnn_add_compile_fail_test(dense_without_units                    dense_without_units.cpp                    "Dense[<]Units, Act[>]: Units must be at least 1")
ctnn_add_compile_fail_test(dense_activation_not_activation        dense_activation_not_activation.cpp        "Act must be an activation such as ctnn::ReLU")
ctnn_add_compile_fail_test(softmax_single_unit                    softmax_single_unit.cpp                    "a Softmax over one unit always outputs 1 and learns nothing; for one probability use ctnn::Dense<1, ctnn::Sigmoid> with ctnn::BinaryCrossEntropy")

# Parametric activations (activation/relu.hpp, activation/elu.hpp)
ctnn_add_compile_fail_test(rrelu_lower_above_upper                rrelu_lower_above_upper.cpp                "ctnn::RReLU::with[<]Lower, Upper[>]: Lower must not exceed Upper")
ctnn_add_compile_fail_test(elu_alpha_not_positive                 elu_alpha_not_positive.cpp                 "ctnn::ELU::with[<]Alpha[>]: Alpha must be positive")

# Losses and their output units (loss/pairing.hpp), checked by ctnn::backward
ctnn_add_compile_fail_test(softmax_with_mean_squared_error        softmax_with_mean_squared_error.cpp        "a Softmax output layer needs ctnn::CategoricalCrossEntropy as its loss")
ctnn_add_compile_fail_test(sigmoid_with_categorical_cross_entropy sigmoid_with_categorical_cross_entropy.cpp "a Sigmoid output layer needs ctnn::BinaryCrossEntropy as its loss")
ctnn_add_compile_fail_test(linear_with_binary_cross_entropy       linear_with_binary_cross_entropy.cpp       "a Linear output layer needs ctnn::MeanSquaredError or ctnn::MSELoss as its loss")
ctnn_add_compile_fail_test(tanh_with_mean_squared_error           tanh_with_mean_squared_error.cpp           "ctnn::MeanSquaredError: the output layer must use ctnn::Linear")
ctnn_add_compile_fail_test(loss_not_a_loss                        loss_not_a_loss.cpp                        "the loss must be ctnn::MeanSquaredError, ctnn::MSELoss, ctnn::BinaryCrossEntropy or ctnn::CategoricalCrossEntropy")
ctnn_add_compile_fail_test(mse_loss_with_tanh                     mse_loss_with_tanh.cpp                     "ctnn::MSELoss: the output layer must use ctnn::Linear")

# Class-index targets (loss/class_labels.hpp), checked by ctnn::backward, ctnn::loss, ctnn::Trainer
ctnn_add_compile_fail_test(labels_with_mean_squared_error         labels_with_mean_squared_error.cpp         "class-index targets need ctnn::CategoricalCrossEntropy \\(Softmax output\\) or ctnn::BinaryCrossEntropy")
ctnn_add_compile_fail_test(labels_with_several_sigmoids           labels_with_several_sigmoids.cpp           "ctnn::BinaryCrossEntropy: 0/1 label targets need one Sigmoid output")

# Weights files and exported headers (io/weights.hpp, io/quantized_weights.hpp, io/export.hpp, io/signature.hpp)
ctnn_add_compile_fail_test(save_long_double_network               save_long_double_network.cpp               "only networks of float or double \\(IEEE 754\\) can be saved")
ctnn_add_compile_fail_test(export_long_double_network             export_long_double_network.cpp             "only networks of float or double can be exported")
ctnn_add_compile_fail_test(activation_without_spelling            activation_without_spelling.cpp            "Act has no file spelling; specialise ctnn::io::ActivationSpelling")
ctnn_add_compile_fail_test(requantizer_without_spelling           requantizer_without_spelling.cpp           "R has no file spelling; save, load and export quantized networks of ctnn::FloatRequantizer or ctnn::FixedPointRequantizer")

# Layer sizes (network.hpp)
ctnn_add_compile_fail_test(layer_index_out_of_range               layer_index_out_of_range.cpp               "layer_input_size<I> / layer_output_size<I>: I must be below layer_count")

# Samples of another scalar type or size than the network's (detail/sample_types.hpp), one per kind of entry point
ctnn_add_compile_fail_test(samples_forward_one_sample             samples_forward_one_sample.cpp             "ctnn::Network::forward\\(inputs\\[, outputs\\]\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(samples_forward_batch                  samples_forward_batch.cpp                  "ctnn::Network::forward\\(inputs\\[, outputs\\]\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(samples_loss                           samples_loss.cpp                           "ctnn::loss<Loss>\\(net, inputs, targets\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(samples_backward                       samples_backward.cpp                       "ctnn::backward<Loss>\\(net, inputs, targets, gradients\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(samples_fused_sgd_step                 samples_fused_sgd_step.cpp                 "ctnn::fused_sgd_step<Loss>\\(net, input, target, learning_rate, workspace\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(samples_trainer_step                   samples_trainer_step.cpp                   "ctnn::Trainer::step\\(inputs, targets\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(samples_trainer_train_epoch            samples_trainer_train_epoch.cpp            "ctnn::Trainer::train_epoch\\(inputs, targets, batch_size\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(samples_predict_class                  samples_predict_class.cpp                  "ctnn::data::predict_class\\(net, x\\): the samples do not have the network's scalar type and sizes")

# A parametric activation in the class-template spelling it had before LeakyReLU, PReLU, RReLU, ELU and Swish became
# types: the compiler's own message (no ctnn code runs; see the file)
ctnn_add_compile_fail_test(parametric_activation_old_template_spelling parametric_activation_old_template_spelling.cpp "LeakyReLU[^ ]* [{]aka [^ ]*ctnn::BasicLeakyReLU<std::ratio<1, 100> >[^ ]*[}] is not a template|expected a type")

# bfloat16 weights (bfloat16_network.hpp)
ctnn_add_compile_fail_test(bfloat16_double_network                bfloat16_double_network.cpp                "Net must be a network of float, the type bfloat16 weights widen to")

# binary16 weights (float16_network.hpp)
ctnn_add_compile_fail_test(float16_double_network                 float16_double_network.cpp                 "Float16Network<Net>: Net must be a network of float, the type binary16 weights widen to")

# int8 quantization (quantized_network.hpp)
ctnn_add_compile_fail_test(quantized_double_network               quantized_double_network.cpp               "QuantizedNetwork<Net>: Net must be a network of float")
ctnn_add_compile_fail_test(quantized_samples_forward              quantized_samples_forward.cpp              "ctnn::QuantizedNetwork::forward\\(inputs\\[, outputs\\]\\): the samples do not have the network's scalar type and sizes")
ctnn_add_compile_fail_test(quantized_unsupported_activation       quantized_unsupported_activation.cpp       "int8 layers exist for ctnn::Linear, ctnn::ReLU, ctnn::Tanh, ctnn::Sigmoid and \\(output\\) ctnn::Softmax only")
