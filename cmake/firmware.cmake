# Drives the firmware sub-build (firmware/ is its own CMake project with the RISC-V toolchain).
# The memory map comes from the simulator's configuration: edgevp --gen-memmap writes the C header
# and linker fragment the firmware includes, so the two cannot disagree.
include(ExternalProject)

find_program(EDGEVP_RISCV_GCC riscv64-unknown-elf-gcc)
if(NOT EDGEVP_RISCV_GCC)
  message(FATAL_ERROR "riscv64-unknown-elf-gcc not found: run scripts/install-deps.sh, "
                      "or configure with -DEDGEVP_BUILD_FIRMWARE=OFF")
endif()

set(EDGEVP_MEMMAP_DIR ${PROJECT_BINARY_DIR}/memmap)
set(EDGEVP_FIRMWARE_DIR ${PROJECT_BINARY_DIR}/firmware/bin CACHE INTERNAL "Built firmware images")
add_custom_command(
  OUTPUT ${EDGEVP_MEMMAP_DIR}/edgevp_memmap.h ${EDGEVP_MEMMAP_DIR}/edgevp_memmap.ld
         ${EDGEVP_MEMMAP_DIR}/edgevp_accel_regs.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${EDGEVP_MEMMAP_DIR}
  COMMAND $<TARGET_FILE:edgevp> --gen-memmap ${EDGEVP_MEMMAP_DIR}
  DEPENDS edgevp
  COMMENT "Generating the firmware's memory map from the default configuration")
add_custom_target(edgevp_memmap DEPENDS ${EDGEVP_MEMMAP_DIR}/edgevp_memmap.h ${EDGEVP_MEMMAP_DIR}/edgevp_memmap.ld
                                        ${EDGEVP_MEMMAP_DIR}/edgevp_accel_regs.h)

ExternalProject_Add(firmware
  SOURCE_DIR ${PROJECT_SOURCE_DIR}/firmware
  BINARY_DIR ${PROJECT_BINARY_DIR}/firmware
  CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/firmware/cmake/riscv-toolchain.cmake
             -DEDGEVP_MEMMAP_DIR=${EDGEVP_MEMMAP_DIR}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  DEPENDS edgevp_memmap
  USES_TERMINAL_BUILD ON)
