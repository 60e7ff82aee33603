# CMake toolchain file: Cortex-M4F (ARMv7E-M, single-precision FPU fpv4-sp-d16, hard-float ABI), bare metal, with
# Debian's arm-none-eabi-gcc and newlib-nano; programs run on QEMU's mps2-an386 board.
#
#   apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm
#   cmake -S <project> -B build/cortex-m4f -G Ninja --toolchain <ctnn>/cmake/toolchains/arm-none-eabi-cortex-m4f.cmake
#
# ctnn::ctnn then builds on the scalar path (xsimd has no Cortex-M architecture), with -std=c++20 and only the xsimd
# and Boost header folders on the include path (cmake/CtnnDependencies.cmake). Compiler flags: the core's flags below,
# --specs=nano.specs, -fno-exceptions -fno-rtti. An executable needs the firmware's own vector table, startup code and
# linker script (the board: code at 0x00000000, RAM at 0x20000000, 4 MiB each), and --specs=rdimon.specs for
# semihosting output; ctest then runs it with `qemu-system-arm -M mps2-an386 ... -kernel <elf>`
# (CMAKE_CROSSCOMPILING_EMULATOR), and the program's exit code is the test's.
set(CTNN_ARM_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(CTNN_ARM_QEMU_MACHINE mps2-an386)
include("${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake")
