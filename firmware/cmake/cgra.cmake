# CGRA kernels (docs/models/cgra.md): kernel descriptions (<app>/<kernel>.cgra) turned at build
# time by tools/cgra/cgrasm.py into C headers in the build tree, which apps #include.
#
#   edgevp_cgra_kernel(<name> SOURCE <file.cgra> [FABRIC <fabric.json>])
#       makes SOURCE's image for FABRIC (default EDGEVP_CGRA_FABRIC, the default SoC's cgra0) into
#       <build>/cgra/<name>.h: `static const uint32_t <name>_image[]`, <name>_WORDS, <name>_BYTES,
#       <name>_UNITS, <name>_INSNS, <name>_GROUPS, <name>_LABEL_<label> (edgevp/cgra.h:
#       CGRA_KERNEL(<name>)); target cgra_kernel_<name> builds it. Remade when the source, the
#       fabric or the tool changes.
#   edgevp_cgra_use(<app> <name>...)
#       lets app #include "<name>.h": builds the kernels first, adds <build>/cgra to its includes.

find_package(Python3 3.8 REQUIRED COMPONENTS Interpreter)

set(EDGEVP_CGRASM "${CMAKE_CURRENT_LIST_DIR}/../../tools/cgra/cgrasm.py")
get_filename_component(EDGEVP_CGRASM "${EDGEVP_CGRASM}" ABSOLUTE)
set(EDGEVP_CGRA_FABRIC "${CMAKE_CURRENT_LIST_DIR}/../../models/accelerators/cgra/blocks.json" CACHE FILEPATH
    "Fabric description the firmware's CGRA kernels are made for (cgra0's, by default the built-in Blocks-like fabric)")
get_filename_component(EDGEVP_CGRA_FABRIC "${EDGEVP_CGRA_FABRIC}" ABSOLUTE)
set(EDGEVP_CGRA_KERNEL_DIR "${CMAKE_BINARY_DIR}/cgra")

function(edgevp_cgra_kernel name)
  cmake_parse_arguments(K "" "SOURCE;FABRIC" "" ${ARGN})
  if(NOT K_SOURCE)
    message(FATAL_ERROR "edgevp_cgra_kernel(${name}): SOURCE is required")
  endif()
  if(K_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "edgevp_cgra_kernel(${name}): unknown arguments ${K_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "edgevp_cgra_kernel(${name}): the name must be a C identifier")
  endif()
  get_filename_component(source "${K_SOURCE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(fabric "${EDGEVP_CGRA_FABRIC}")
  if(K_FABRIC)
    get_filename_component(fabric "${K_FABRIC}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  set(header "${EDGEVP_CGRA_KERNEL_DIR}/${name}.h")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${EDGEVP_CGRA_KERNEL_DIR}"
    COMMAND "${Python3_EXECUTABLE}" "${EDGEVP_CGRASM}" --fabric "${fabric}" --name ${name}
            -o "${header}" "${source}"
    DEPENDS "${source}" "${fabric}" "${EDGEVP_CGRASM}"
    COMMENT "Making CGRA kernel ${name} (${K_SOURCE})"
    VERBATIM)
  add_custom_target(cgra_kernel_${name} DEPENDS "${header}")
endfunction()

function(edgevp_cgra_use app)
  foreach(name ${ARGN})
    add_dependencies(${app} cgra_kernel_${name})
  endforeach()
  target_include_directories(${app} PRIVATE "${EDGEVP_CGRA_KERNEL_DIR}")
endfunction()
