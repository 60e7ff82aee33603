// Compile-fail test compile_fail.parametric_activation_old_template_spelling (tests/compile_fail/cases.cmake).
// Misuse: ctnn::LeakyReLU<std::ratio<1, 5>>, the spelling from when LeakyReLU, PReLU, RReLU, ELU and Swish were
// class templates. Each is now a type, the activation with PyTorch's defaults, and other parameters are spelled
// ctnn::LeakyReLU::with<std::ratio<1, 5>>.
// Expected: the compiler's own message, not a ctnn sentence: the name is a type, and `<` after a type that is not a
// template ends the parse before any ctnn code is instantiated. g++ 12: "'ctnn::LeakyReLU' {aka
// 'ctnn::BasicLeakyReLU<std::ratio<1, 100> >'} is not a template"; clang 14: "expected a type" (after "expected '>'").
// This test keeps the README's account of that message true.
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <ratio>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::LeakyReLU<std::ratio<1, 5>>>,
                          ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::LeakyReLU::with<std::ratio<1, 5>>>,
                          ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;
    return 0;
}
