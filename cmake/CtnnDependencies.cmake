# ctnn's header-only dependencies in a cross build: the targets `xsimd` and `Boost::headers` made from header folders,
# not from package configs. Included by CMakeLists.txt and by the installed ctnnConfig.cmake, so that
# add_subdirectory(ctnn) and find_package(ctnn) behave alike; native builds do not use it (they call find_package).
#
# Why: a cross toolchain file searches packages in the target's tree only, so the host's xsimd and Boost package
# configs (Debian: /usr/lib/x86_64-linux-gnu/cmake, /usr/share/cmake) are not found; and their include directory,
# /usr/include, holds the host's C library headers, which break the cross compiler's own (newlib, the target's glibc)
# when they come first on its include path. Headers of xsimd and Boost do not depend on the target, so a cross build
# can use the host's copies as long as nothing else of /usr/include comes with them.
#
# How: ctnn_import_headers() links only the dependency's own folder (xsimd/, boost/) into one folder of the build tree,
# ${CMAKE_BINARY_DIR}/ctnn_dependency_headers, and makes an imported INTERFACE target whose include directory is that
# folder (imported, so it is passed with -isystem, as find_package's would be). A target that exists already is left
# alone: a project that found its own xsimd or Boost for the target (find_package before ctnn) keeps it.
include_guard(GLOBAL)

# ctnn_import_headers(<target> <header> <cache variable> <package>)
#
# Makes the imported INTERFACE target <target> (unless it exists) whose include directory holds a symbolic link to the
# folder of <header> (its first path component, e.g. xsimd for xsimd/xsimd.hpp) and nothing else. <cache variable> is
# the folder that contains that folder: by default found in the host's /usr/local/include or /usr/include; set it for
# headers that live elsewhere. <package> names what to install when the header is not found.
function(ctnn_import_headers target header variable package)
    if(TARGET ${target})
        return()
    endif()
    string(REGEX REPLACE "/.*$" "" folder "${header}")
    # The host's folders, not the target's (NO_CMAKE_FIND_ROOT_PATH): these headers are the same for every target.
    find_path(${variable} "${header}" PATHS /usr/local/include /usr/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH
              DOC "Folder holding ${folder}/ (<${header}>) for a cross build of ctnn; only ${folder}/ is used")
    if(NOT ${variable} OR NOT EXISTS "${${variable}}/${header}")
        message(FATAL_ERROR "ctnn: cross build: <${header}> not found in /usr/local/include or /usr/include "
                            "(${variable}=${${variable}}); install ${package} or set ${variable} to the folder "
                            "that holds ${folder}/")
    endif()

    set(links "${CMAKE_BINARY_DIR}/ctnn_dependency_headers")
    file(MAKE_DIRECTORY "${links}")
    file(CREATE_LINK "${${variable}}/${folder}" "${links}/${folder}" RESULT result SYMBOLIC)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "ctnn: cross build: cannot link ${links}/${folder} to ${${variable}}/${folder}: ${result}")
    endif()

    add_library(${target} INTERFACE IMPORTED)
    set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${links}")
endfunction()

# ctnn_import_cross_dependencies()
#
# The targets `xsimd` and `Boost::headers` that ctnn::ctnn links, for a cross build (see the top of this file).
# Boost must be 1.74 or newer, as find_package(Boost 1.74) requires natively.
function(ctnn_import_cross_dependencies)
    ctnn_import_headers(xsimd xsimd/xsimd.hpp CTNN_XSIMD_INCLUDE_DIR "xsimd (Debian: libxsimd-dev)")
    ctnn_import_headers(Boost::headers boost/hana.hpp CTNN_BOOST_INCLUDE_DIR "Boost (Debian: libboost-dev)")
    if(CTNN_BOOST_INCLUDE_DIR AND EXISTS "${CTNN_BOOST_INCLUDE_DIR}/boost/version.hpp")
        file(STRINGS "${CTNN_BOOST_INCLUDE_DIR}/boost/version.hpp" line REGEX "^#define BOOST_VERSION [0-9]+")
        string(REGEX REPLACE "^#define BOOST_VERSION ([0-9]+).*" "\\1" version "${line}")
        if(version AND version LESS 107400)
            message(FATAL_ERROR "ctnn: cross build: Boost in ${CTNN_BOOST_INCLUDE_DIR} is older than 1.74 "
                                "(BOOST_VERSION ${version}); set CTNN_BOOST_INCLUDE_DIR to a newer one")
        endif()
    endif()
endfunction()
