# Warnings for ctnn's own tests, examples and benchmarks. Never put them on the INTERFACE target `ctnn`:
# they would leak into every user's build (STYLE rule 15).
include_guard(GLOBAL)

option(CTNN_WERROR "Treat warnings in ctnn's tests, examples and benchmarks as errors" OFF)

function(ctnn_set_warnings target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive-)
        if(CTNN_WERROR)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
        if(CTNN_WERROR)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()
