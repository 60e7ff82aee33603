// The SIMD and scalar paths compute the same float networks (unit/arch_agreement.hpp says what is checked).
#include "unit/arch_agreement.hpp"

TEMPLATE_LIST_TEST_CASE("write_parameters then read_parameters round-trips exactly and leaves the padding zero (float)",
                        "[network][parameters][arch]", topologies<float>) {
    check_parameter_round_trip<TestType>();
}

TEMPLATE_LIST_TEST_CASE("The SIMD and scalar paths agree on outputs, losses and every gradient (float)",
                        "[network][backward][arch]", topologies<float>) {
    check_paths_agree<TestType>();
}
