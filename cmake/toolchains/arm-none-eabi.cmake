# Shared part of the arm-none-eabi-cortex-*.cmake toolchain files: Debian's arm-none-eabi-gcc with newlib-nano, for
# bare-metal Cortex-M. Not a toolchain file of its own: each per-core file sets CTNN_ARM_CPU_FLAGS (the -mcpu, -mfpu
# and -mfloat-abi that select the core and its multilib) and CTNN_ARM_QEMU_MACHINE (the QEMU board with that core),
# then includes this file. CMake reads a toolchain file several times (project(), try_compile), so there is no
# include_guard here.

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)

# A bare-metal executable links only with a vector table, startup code and a linker script that the firmware
# brings; CMake's compiler checks must not need them.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# --specs=nano.specs selects newlib-nano (smaller printf and malloc) both for the headers it adds at compile time and
# for the libraries at link time, so it goes on the compile and the link lines alike. -fno-exceptions -fno-rtti are
# the usual firmware settings, and ctnn's freestanding core needs neither.
set(CMAKE_C_FLAGS_INIT "${CTNN_ARM_CPU_FLAGS} --specs=nano.specs")
set(CMAKE_CXX_FLAGS_INIT "${CTNN_ARM_CPU_FLAGS} --specs=nano.specs -fno-exceptions -fno-rtti")
set(CMAKE_ASM_FLAGS_INIT "${CTNN_ARM_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections")

# Libraries, headers and packages come from the target's tree only (appended, so a -DCMAKE_FIND_ROOT_PATH=<prefix>
# of installed packages such as ctnn stays searched); programs (ccache, qemu) from the host.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/lib/arm-none-eabi)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# CTest runs target programs (add_test(NAME ... COMMAND <target>)) on the emulated board. The program is the last
# argument (-kernel <elf>); semihosting gives it the host's stdout and passes its exit code to QEMU's.
set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-system-arm -M ${CTNN_ARM_QEMU_MACHINE} -nographic -semihosting-config enable=on,target=native -kernel)
