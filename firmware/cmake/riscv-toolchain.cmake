# CMake toolchain file for edgevp firmware: bare-metal RV32IMAC, machine mode, picolibc.
#
#   cmake -S firmware -B build/fw -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=firmware/cmake/riscv-toolchain.cmake -DEDGEVP_MEMMAP_DIR=<dir>
#
# Debian packages: gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf (multilib rv32imac/ilp32).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
# There is no crt0 or linker script a try_compile() could link against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(EDGEVP_RISCV_PREFIX "riscv64-unknown-elf-" CACHE STRING "Prefix of the RISC-V cross tools")

set(CMAKE_C_COMPILER   ${EDGEVP_RISCV_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${EDGEVP_RISCV_PREFIX}gcc)
find_program(CMAKE_OBJDUMP NAMES ${EDGEVP_RISCV_PREFIX}objdump)
find_program(CMAKE_OBJCOPY NAMES ${EDGEVP_RISCV_PREFIX}objcopy)
find_program(CMAKE_SIZE    NAMES ${EDGEVP_RISCV_PREFIX}size)

# The CPU: RV32IMAC with the Zicsr/Zifencei extensions the 2019 ISA spec split out of I
# (binutils 2.40 refuses csrr/fence.i without them).
set(EDGEVP_RISCV_ARCH "-march=rv32imac_zicsr_zifencei -mabi=ilp32")

set(CMAKE_C_FLAGS_INIT
    "${EDGEVP_RISCV_ARCH} --specs=picolibc.specs -Os -g -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${EDGEVP_RISCV_ARCH} --specs=picolibc.specs -g")

# Link: our crt0 and linker script (the app adds -T<script>), unused sections dropped.
# GCC 12 selects the multilib by exact -march string, and "rv32imac_zicsr_zifencei" matches
# none, so it would fall back to the default (RV64!) picolibc and libgcc. A trailing
# -march=rv32imac on the link line only picks the rv32imac/ilp32 multilib; it changes no code.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=rv32imac -mabi=ilp32 -nostartfiles -Wl,--gc-sections")

# Never look for host libraries or headers.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
