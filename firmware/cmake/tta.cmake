# TTA kernels (docs/models/tta.md): assembly sources (<app>/<kernel>.tta) assembled at build time
# by tools/tta/ttasm.py into C headers in the build tree, which apps #include.
#
#   edgevp_tta_kernel(<name> SOURCE <file.tta> [MACHINE <machine.json>])
#       assembles SOURCE for MACHINE (default EDGEVP_TTA_MACHINE, the default SoC's tta0) into
#       <build>/tta/<name>.h: `static const uint64_t <name>_image[]`, <name>_INSNS,
#       <name>_BUSES, <name>_LABEL_<label> (edgevp/tta.h: TTA_PROGRAM(<name>)); target
#       tta_kernel_<name> builds it. Reassembled when the source, the machine or the assembler
#       changes.
#   edgevp_tta_use(<app> <name>...)
#       lets app #include "<name>.h": builds the kernels first, adds <build>/tta to its includes.

find_package(Python3 3.8 REQUIRED COMPONENTS Interpreter)

set(EDGEVP_TTASM "${CMAKE_CURRENT_LIST_DIR}/../../tools/tta/ttasm.py")
get_filename_component(EDGEVP_TTASM "${EDGEVP_TTASM}" ABSOLUTE)
set(EDGEVP_TTA_MACHINE "${CMAKE_CURRENT_LIST_DIR}/../../models/accelerators/tta/braintta.json" CACHE FILEPATH
    "Machine description the firmware's TTA kernels are assembled for (tta0's, by default the built-in BrainTTA-like machine)")
get_filename_component(EDGEVP_TTA_MACHINE "${EDGEVP_TTA_MACHINE}" ABSOLUTE)
set(EDGEVP_TTA_KERNEL_DIR "${CMAKE_BINARY_DIR}/tta")

function(edgevp_tta_kernel name)
  cmake_parse_arguments(K "" "SOURCE;MACHINE" "" ${ARGN})
  if(NOT K_SOURCE)
    message(FATAL_ERROR "edgevp_tta_kernel(${name}): SOURCE is required")
  endif()
  get_filename_component(source "${K_SOURCE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(machine "${EDGEVP_TTA_MACHINE}")
  if(K_MACHINE)
    get_filename_component(machine "${K_MACHINE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  set(header "${EDGEVP_TTA_KERNEL_DIR}/${name}.h")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${EDGEVP_TTA_KERNEL_DIR}"
    COMMAND "${Python3_EXECUTABLE}" "${EDGEVP_TTASM}" --machine "${machine}" --name ${name}
            -o "${header}" "${source}"
    DEPENDS "${source}" "${machine}" "${EDGEVP_TTASM}"
    COMMENT "Assembling TTA kernel ${name} (${K_SOURCE})"
    VERBATIM)
  add_custom_target(tta_kernel_${name} DEPENDS "${header}")
endfunction()

function(edgevp_tta_use app)
  foreach(name ${ARGN})
    add_dependencies(${app} tta_kernel_${name})
  endforeach()
  target_include_directories(${app} PRIVATE "${EDGEVP_TTA_KERNEL_DIR}")
endfunction()
