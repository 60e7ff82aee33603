// Compile-fail test compile_fail.parametric_activation_without_brackets (tests/compile_fail/cases.cmake).
// Misuse: ctnn::Dense<8, ctnn::PReLU>: PReLU (like LeakyReLU, ELU, Swish and RReLU) is a class template, and a
// template is not a type, so its defaults need `<>` (as std::less<> does).
// Expected: the compiler's own message, not a ctnn sentence: the template-id Dense<8, PReLU> is ill-formed before
// any ctnn code is instantiated, so no static_assert can run, and a class template cannot be overloaded to take a
// template in the place of a type (C++20). g++ 12: "type/value mismatch at argument 2 ... expected a type, got
// 'PReLU'"; clang 14: "use of class template 'ctnn::PReLU' requires template arguments". This test keeps the README's
// account of that message true.
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::PReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::PReLU<>>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;
    return 0;
}
