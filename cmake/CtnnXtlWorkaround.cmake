# Debian 12's xsimd 8.1 export lists `xtl` in the INTERFACE_LINK_LIBRARIES of its `xsimd` target, but its
# xsimdConfig.cmake never looks for xtl and Debian ships no xtl package. Without a target of that name, CMake
# turns the entry into `-lxtl` and every link fails with "cannot find -lxtl". ctnn needs none of xtl, so when no
# real xtl package is found an empty imported target stands in for it. Included after find_package(xsimd), both
# in-tree and from the installed ctnnConfig.cmake.
if(TARGET xsimd AND NOT TARGET xtl)
    get_target_property(_ctnn_xsimd_links xsimd INTERFACE_LINK_LIBRARIES)
    if(_ctnn_xsimd_links AND "xtl" IN_LIST _ctnn_xsimd_links)
        find_package(xtl QUIET)
        if(NOT TARGET xtl)
            add_library(xtl INTERFACE IMPORTED)
        endif()
    endif()
    unset(_ctnn_xsimd_links)
endif()
