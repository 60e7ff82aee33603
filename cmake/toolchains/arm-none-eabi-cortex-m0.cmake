# CMake toolchain file: Cortex-M0 (ARMv6-M, no FPU: soft-float ABI), bare metal, with Debian's arm-none-eabi-gcc and
# newlib-nano; programs run on QEMU's microbit board (nRF51: flash at 0x00000000, 256 KiB; RAM at 0x20000000, 16 KiB).
#
#   apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm
#   cmake -S <project> -B build/cortex-m0 -G Ninja --toolchain <ctnn>/cmake/toolchains/arm-none-eabi-cortex-m0.cmake
#
# Everything else is as in arm-none-eabi-cortex-m4f.cmake: scalar path, nano.specs, -fno-exceptions -fno-rtti, the
# firmware brings the vector table, startup code and linker script, and ctest runs executables with
# `qemu-system-arm -M microbit ... -kernel <elf>` (CMAKE_CROSSCOMPILING_EMULATOR). 16 KiB of RAM bound the stack.
set(CTNN_ARM_CPU_FLAGS "-mcpu=cortex-m0 -mthumb -mfloat-abi=soft")
set(CTNN_ARM_QEMU_MACHINE microbit)
include("${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake")
