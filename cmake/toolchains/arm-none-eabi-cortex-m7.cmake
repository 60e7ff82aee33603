# CMake toolchain file: Cortex-M7 (ARMv7E-M, double-precision FPU fpv5-d16, hard-float ABI), bare metal, with
# Debian's arm-none-eabi-gcc and newlib-nano; programs run on QEMU's mps2-an500 board.
#
#   apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm
#   cmake -S <project> -B build/cortex-m7 -G Ninja --toolchain <ctnn>/cmake/toolchains/arm-none-eabi-cortex-m7.cmake
#
# For a Cortex-M7 with the single-precision FPU only, copy this file with -mfpu=fpv5-sp-d16. Everything else is as in
# arm-none-eabi-cortex-m4f.cmake: scalar path, nano.specs, -fno-exceptions -fno-rtti, the firmware brings the vector
# table, startup code and linker script (code at 0x00000000, RAM at 0x20000000), and ctest runs executables with
# `qemu-system-arm -M mps2-an500 ... -kernel <elf>` (CMAKE_CROSSCOMPILING_EMULATOR).
set(CTNN_ARM_CPU_FLAGS "-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16")
set(CTNN_ARM_QEMU_MACHINE mps2-an500)
include("${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake")
