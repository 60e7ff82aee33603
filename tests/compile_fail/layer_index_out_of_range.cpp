// Compile-fail test compile_fail.layer_index_out_of_range (tests/compile_fail/cases.cmake).
// Misuse: Net::layer_input_size<I> with I = layer_count (layers are numbered from 0).
// Expected: "layer_input_size<I> / layer_output_size<I>: I must be below layer_count ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <cstddef>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
#ifndef CTNN_COMPILE_FAIL_FIXED
    constexpr std::size_t fan_in = Net::layer_input_size<Net::layer_count>;
#else
    constexpr std::size_t fan_in = Net::layer_input_size<Net::layer_count - 1>;
#endif
    return fan_in == 8 ? 0 : 1;
}
