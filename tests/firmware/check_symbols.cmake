# Fails when an object file references a forbidden kind of function:
#
#   cmake -DNM=<arm-none-eabi-nm> -DFORBIDDEN=allocation -P check_symbols.cmake <object>...
#       allocation functions: malloc and its relatives, newlib's reentrant _*_r forms and _sbrk, any global operator
#       new or delete
#   cmake -DNM=<arm-none-eabi-nm> -DFORBIDDEN=double -P check_symbols.cmake <object>...
#       double-precision arithmetic: the ARM EABI's and libgcc's software double helpers (__aeabi_d*, conversions to
#       and from double, __*df*), and the double functions of libm (a float function ends in f: logf, not log)
#
# Prints every object's undefined symbols, so the log shows what else the code needs (libm, libgcc helpers, printf).
cmake_minimum_required(VERSION 3.25)

set(_objects "")
set(_after_script FALSE)
math(EXPR _last "${CMAKE_ARGC} - 1")
foreach(_i RANGE ${_last})
    if(_after_script)
        list(APPEND _objects "${CMAKE_ARGV${_i}}")
    elseif(CMAKE_ARGV${_i} STREQUAL "-P")
        math(EXPR _script "${_i} + 1")
        set(_i_script ${_script})
    endif()
    if(DEFINED _i_script AND _i EQUAL _i_script)
        set(_after_script TRUE)
    endif()
endforeach()
if(NOT NM OR NOT _objects OR NOT FORBIDDEN MATCHES "^(allocation|double)$")
    message(FATAL_ERROR "usage: cmake -DNM=<nm> -DFORBIDDEN=allocation|double -P check_symbols.cmake <object>...")
endif()

set(_allowed "")
if(FORBIDDEN STREQUAL "allocation")
    # _Znwj/_Znaj are operator new/new[] (32-bit size_t), with their nothrow and align_val_t overloads; _ZdlPv/_ZdaPv
    # the deletes, sized or not.
    set(_forbidden "^(malloc|calloc|realloc|free|aligned_alloc|memalign|posix_memalign|valloc|pvalloc|_malloc_r|_calloc_r|_realloc_r|_free_r|_memalign_r|_sbrk|_sbrk_r|_Zn[wa].*|_Zd[la].*)$")
else()
    # __aeabi_dadd, __aeabi_f2d, __aeabi_i2d, ... and libgcc's __adddf3, __extendsfdf2, __floatsidf, ...; then libm's
    # double functions by name. Allowed: the conversion of a double to float (__aeabi_d2f, __truncdfsf2), which the
    # optimisers' hyperparameters need once per step (they are given in double, as in PyTorch); it computes nothing
    # in double and is a few dozen instructions.
    set(_forbidden "^(__aeabi_d.*|__aeabi_[a-z0-9]*2d|__aeabi_d2.*|__[a-z]*df[0-9]?|__[a-z]*df[a-z]*[0-9]|exp|exp2|expm1|log|log2|log10|log1p|pow|sqrt|cbrt|hypot|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|erf|erfc|fmod|floor|ceil|round|trunc|fabs|ldexp|frexp|scalbn)$")
    set(_allowed "__aeabi_d2f|__truncdfsf2")
endif()
set(_failed FALSE)
foreach(_object IN LISTS _objects)
    execute_process(COMMAND "${NM}" -u "${_object}" OUTPUT_VARIABLE _out RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "${NM} -u ${_object} failed (${_rc})")
    endif()
    string(REGEX MATCHALL "U [^\n]+" _lines "${_out}")
    set(_symbols "")
    set(_found "")
    foreach(_line IN LISTS _lines)
        string(REGEX REPLACE "^U " "" _symbol "${_line}")
        list(APPEND _symbols "${_symbol}")
        if(_symbol MATCHES "${_forbidden}" AND NOT _symbol MATCHES "^(${_allowed})$")
            list(APPEND _found "${_symbol}")
        endif()
    endforeach()
    get_filename_component(_name "${_object}" NAME)
    list(JOIN _symbols " " _symbols)
    message("${_name}: undefined: ${_symbols}")
    if(_found)
        list(JOIN _found " " _found)
        message("${_name} references ${FORBIDDEN} functions: ${_found}")
        set(_failed TRUE)
    endif()
endforeach()
if(_failed)
    message(FATAL_ERROR "an object references ${FORBIDDEN} functions (above)")
endif()
list(LENGTH _objects _count)
message("no ${FORBIDDEN} function in the ${_count} objects")
