# CMake toolchain file: AArch64 Linux (NEON, 4 floats a register) with Debian's aarch64-linux-gnu-g++; programs run
# on the build machine under qemu-aarch64 (user-mode emulation).
#
#   apt-get install g++-aarch64-linux-gnu qemu-user
#   cmake -S <project> -B build/aarch64 -G Ninja --toolchain <ctnn>/cmake/toolchains/aarch64-linux-gnu.cmake
#
# Libraries and packages are looked up in the target's tree (/usr/aarch64-linux-gnu) only, so the host's packages of
# xsimd and Boost are not found there: ctnn then puts just their header folders on the include path
# (cmake/CtnnDependencies.cmake). ctest runs target programs with `qemu-aarch64 -L /usr/aarch64-linux-gnu <program>`
# (CMAKE_CROSSCOMPILING_EMULATOR; -L is where the target's dynamic loader and shared libraries are).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Appended, so a -DCMAKE_FIND_ROOT_PATH=<prefix> of installed packages (such as ctnn) stays searched.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
