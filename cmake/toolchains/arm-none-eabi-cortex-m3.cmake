# CMake toolchain file: Cortex-M3 (ARMv7-M, no FPU: soft-float ABI, floating point in software), bare metal, with
# Debian's arm-none-eabi-gcc and newlib-nano; programs run on QEMU's mps2-an385 board.
#
#   apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm
#   cmake -S <project> -B build/cortex-m3 -G Ninja --toolchain <ctnn>/cmake/toolchains/arm-none-eabi-cortex-m3.cmake
#
# Everything else is as in arm-none-eabi-cortex-m4f.cmake: scalar path, nano.specs, -fno-exceptions -fno-rtti, the
# firmware brings the vector table, startup code and linker script (code at 0x00000000, RAM at 0x20000000), and ctest
# runs executables with `qemu-system-arm -M mps2-an385 ... -kernel <elf>` (CMAKE_CROSSCOMPILING_EMULATOR).
set(CTNN_ARM_CPU_FLAGS "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
set(CTNN_ARM_QEMU_MACHINE mps2-an385)
include("${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake")
