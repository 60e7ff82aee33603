// The SIMD and scalar paths compute the same double networks (unit/arch_agreement.hpp says what is checked).
#include "unit/arch_agreement.hpp"

TEMPLATE_LIST_TEST_CASE(
    "write_parameters then read_parameters round-trips exactly and leaves the padding zero (double)",
    "[network][parameters][arch]", topologies<double>) {
    check_parameter_round_trip<TestType>();
}

TEMPLATE_LIST_TEST_CASE("The SIMD and scalar paths agree on outputs, losses and every gradient (double)",
                        "[network][backward][arch]", topologies<double>) {
    check_paths_agree<TestType>();
}
