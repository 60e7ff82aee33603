# Test helpers for ctnn: compile-fail tests, standalone-header tests, per-ISA test binaries and benchmarks.
include_guard(GLOBAL)
include(CtnnWarnings)

set(CTNN_TESTS_DIR "${PROJECT_SOURCE_DIR}/tests")

# ---------------------------------------------------------------------------------------------------------------------
# ctnn_command_line_flags(<out> [BUILD_TYPE] [WARNINGS])
#
# The flags a compiler command outside CMake's targets needs to compile ctnn code as this configuration does (tests
# that run the compiler at test time): the global CMAKE_CXX_FLAGS (-fno-exceptions, -fsanitize=..., so the test sees
# what users see), with BUILD_TYPE also those of CMAKE_BUILD_TYPE; -std=c++20; -I of ctnn's headers and -isystem of
# its dependencies', read off their imported targets (the compiler's implicit directories are left out, as CMake
# does: passed explicitly they break libstdc++'s #include_next chain); CTNN_FORCE_SCALAR; with WARNINGS the
# project's warnings (cmake/CtnnWarnings.cmake, GCC-style).
function(ctnn_command_line_flags out)
    cmake_parse_arguments(PARSE_ARGV 1 arg "BUILD_TYPE;WARNINGS" "" "")
    separate_arguments(flags UNIX_COMMAND "${CMAKE_CXX_FLAGS}")
    if(arg_BUILD_TYPE AND CMAKE_BUILD_TYPE)
        string(TOUPPER "${CMAKE_BUILD_TYPE}" config)
        separate_arguments(config_flags UNIX_COMMAND "${CMAKE_CXX_FLAGS_${config}}")
        list(APPEND flags ${config_flags})
    endif()
    list(APPEND flags -std=c++20 "-I${PROJECT_SOURCE_DIR}/include")
    foreach(dep IN ITEMS xsimd xtl Boost::headers)
        if(NOT TARGET ${dep})
            continue()
        endif()
        get_target_property(dirs ${dep} INTERFACE_INCLUDE_DIRECTORIES)
        foreach(dir IN LISTS dirs)
            if(dir AND NOT dir MATCHES "\\$<" AND NOT dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
                list(APPEND flags -isystem "${dir}")
            endif()
        endforeach()
    endforeach()
    if(CTNN_FORCE_SCALAR)
        list(APPEND flags -DCTNN_FORCE_SCALAR=1)
    endif()
    if(arg_WARNINGS)
        list(APPEND flags -Wall -Wextra -Wpedantic)
        if(CTNN_WERROR)
            list(APPEND flags -Werror)
        endif()
    endif()
    set(${out} ${flags} PARENT_SCOPE)
endfunction()

# ---------------------------------------------------------------------------------------------------------------------
# ctnn_add_compile_fail_test(<name> <file> <regex>)
#
# Registers the CTest test `compile_fail.<name>`, which runs the compiler with -fsyntax-only on <file> and passes only
# if the compiler's output matches <regex> (STYLE rule 8). Because PASS_REGULAR_EXPRESSION replaces the exit-code
# check, a file that compiles, or fails for another reason, fails the test with "Required regular expression not
# found". A relative <file> is taken relative to the list file that calls this function (tests/compile_fail/ for
# cases.cmake). When <file> mentions CTNN_COMPILE_FAIL_FIXED, compile_fail.<name>.fixed also compiles it with that
# macro defined and must succeed.
function(ctnn_add_compile_fail_test name file regex)
    if(NOT IS_ABSOLUTE "${file}")
        set(file "${CMAKE_CURRENT_LIST_DIR}/${file}")
    endif()
    if(NOT EXISTS "${file}")
        message(WARNING "ctnn: compile-fail test '${name}': ${file} does not exist (the test will fail)")
    endif()

    ctnn_command_line_flags(flags)

    add_test(NAME compile_fail.${name}
             COMMAND ${CMAKE_CXX_COMPILER} ${flags} -fsyntax-only "${file}")
    set_tests_properties(compile_fail.${name} PROPERTIES PASS_REGULAR_EXPRESSION "${regex}" LABELS compile_fail
                                                         TIMEOUT 120)

    # A file that mentions CTNN_COMPILE_FAIL_FIXED promises to compile cleanly with it defined (the misuse corrected).
    # compile_fail.<name>.fixed checks that promise, which proves the misuse is the file's only error.
    if(EXISTS "${file}")
        file(STRINGS "${file}" fixed_lines REGEX "CTNN_COMPILE_FAIL_FIXED" LIMIT_COUNT 1)
        if(fixed_lines)
            add_test(NAME compile_fail.${name}.fixed
                     COMMAND ${CMAKE_CXX_COMPILER} ${flags} -fsyntax-only -DCTNN_COMPILE_FAIL_FIXED=1 "${file}")
            set_tests_properties(compile_fail.${name}.fixed PROPERTIES LABELS compile_fail TIMEOUT 120)
        endif()
    endif()
endfunction()

# ---------------------------------------------------------------------------------------------------------------------
# ctnn_add_header_tests()
#
# Every header under include/ctnn/ must compile on its own (STYLE rule 1, Hana's test.headers.standalone). One
# translation unit per header is generated in the build tree; it includes the header twice, so a missing
# #pragma once / include guard fails too. All of them form the OBJECT library `ctnn_header_tests`.
# They are also linked together into `ctnn_header_link_test` (CTest `headers.link`): ctnn.hpp and the individual
# headers then define the same functions in several translation units, so a function in a header that is not
# inline, constexpr or a template fails to link with "multiple definition" (STYLE rule 17).
# Headers under include/ctnn/io/ are hosted-only and are included like the others.
function(ctnn_add_header_tests)
    file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}/include"
         "${PROJECT_SOURCE_DIR}/include/ctnn/*.hpp")
    list(SORT headers)
    if(NOT headers)
        message(STATUS "ctnn: no headers under include/ctnn yet, header tests skipped")
        return()
    endif()

    set(sources "")
    foreach(header IN LISTS headers)
        string(MAKE_C_IDENTIFIER "${header}" id)
        set(source "${CMAKE_CURRENT_BINARY_DIR}/header_tests/${id}.cpp")
        file(CONFIGURE OUTPUT "${source}" @ONLY
             CONTENT "// Generated by ctnn_add_header_tests(): <@header@> compiles on its own and survives a second \
inclusion.\n#include <@header@>\n#include <@header@>\n")
        list(APPEND sources "${source}")
    endforeach()

    add_library(ctnn_header_tests OBJECT ${sources})
    target_link_libraries(ctnn_header_tests PRIVATE ctnn::ctnn)
    ctnn_set_warnings(ctnn_header_tests)

    set(main "${CMAKE_CURRENT_BINARY_DIR}/header_tests/main.cpp")
    file(CONFIGURE OUTPUT "${main}" CONTENT "// Generated by ctnn_add_header_tests().\nint main() { return 0; }\n")
    add_executable(ctnn_header_link_test "${main}")
    target_link_libraries(ctnn_header_link_test PRIVATE ctnn_header_tests ctnn::ctnn)
    ctnn_set_warnings(ctnn_header_link_test)
    add_test(NAME headers.link COMMAND ctnn_header_link_test)
    set_tests_properties(headers.link PROPERTIES LABELS headers)
endfunction()

# ---------------------------------------------------------------------------------------------------------------------
# ctnn_add_isa_test(<name> <isa_flags> <cpu_feature> <source>...)
#
# Builds the Catch2 test sources with the given instruction-set flags (a ;-list such as "-mavx2;-mfma", or "" for the
# compiler's baseline) into the executable <name>, linked with the prebuilt Catch2 runner ${CTNN_CATCH2_MAIN}
# (Catch2::Catch2WithMain, or the one tests/CMakeLists.txt compiles once from Catch2's header) and with
# tests/support/isa_guard.cpp, which is compiled *without* those flags. Before any static initializer runs, the guard
# asks the CPU for <cpu_feature> (a __builtin_cpu_supports name such as "avx2"; "" for no check) and exits with 77
# when it is missing, which CTest reports as skipped (SKIP_RETURN_CODE). The prebuilt runner keeps Catch2's
# implementation from being compiled again for every instruction set (minutes on two cores).
# The tests are registered with add_test, not catch_discover_tests: listing the tests at build time would already
# execute the binary, and with it possibly unsupported instructions. The build without instruction-set flags gets
# CTNN_TEST_SCALAR_KERNELS=1: the scalar kernels do not depend on the instruction set, so only that build tests them.
function(ctnn_add_isa_test name isa_flags cpu_feature)
    set(sources ${ARGN})
    if(NOT sources)
        message(FATAL_ERROR "ctnn_add_isa_test(${name}): no sources given")
    endif()

    add_library(${name}_objects OBJECT ${sources})
    target_compile_options(${name}_objects PRIVATE ${isa_flags})
    if(isa_flags STREQUAL "")
        target_compile_definitions(${name}_objects PRIVATE CTNN_TEST_SCALAR_KERNELS=1)
    endif()
    target_include_directories(${name}_objects PRIVATE "${CTNN_TESTS_DIR}")
    target_link_libraries(${name}_objects PRIVATE ctnn::ctnn Catch2::Catch2)
    ctnn_set_warnings(${name}_objects)

    add_executable(${name} "${CTNN_TESTS_DIR}/support/isa_guard.cpp")
    target_link_libraries(${name} PRIVATE ${name}_objects ctnn::ctnn ${CTNN_CATCH2_MAIN})
    if(NOT cpu_feature STREQUAL "")
        target_compile_definitions(${name} PRIVATE CTNN_REQUIRED_CPU_FEATURE="${cpu_feature}")
    endif()
    ctnn_set_warnings(${name})

    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS "kernels;isa")
endfunction()

# ---------------------------------------------------------------------------------------------------------------------
# ctnn_add_benchmark(<name> <source>)
#
# A Google Benchmark program (STYLE rule 14). benchmark::benchmark_main is a static library, so a source that defines
# its own main (BENCHMARK_MAIN()) still links. Each benchmark is also registered as the CTest smoke test
# `bench.<name>` (label `bench`), run with a tiny minimum time: it proves the program runs, not how fast.
function(ctnn_add_benchmark name source)
    add_executable(${name} "${source}")
    # Benchmarks include their helpers as "support/<name>.hpp" relative to their own directory.
    get_filename_component(dir "${source}" DIRECTORY)
    if(dir STREQUAL "")
        set(dir "${CMAKE_CURRENT_SOURCE_DIR}")
    endif()
    target_include_directories(${name} PRIVATE "${dir}")
    target_link_libraries(${name} PRIVATE ctnn::ctnn benchmark::benchmark benchmark::benchmark_main)
    ctnn_set_warnings(${name})
    add_test(NAME bench.${name} COMMAND ${name} --benchmark_min_time=0.001)
    set_tests_properties(bench.${name} PROPERTIES LABELS bench TIMEOUT 300)
endfunction()
