# CGRA kernels (docs/models/cgra.md): kernel descriptions (<app>/<kernel>.cgra) turned at build
# time by tools/cgra/cgrasm.py into C headers in the build tree (cmake/kernels.cmake).
#
#   edgevp_cgra_kernel(<name> SOURCE <file.cgra> [FABRIC <fabric.json>])
#       makes SOURCE's image for FABRIC (default EDGEVP_CGRA_FABRIC, the default SoC's cgra0)
#       into <build>/cgra/<name>.h: `static const uint32_t <name>_image[]`, <name>_WORDS,
#       <name>_BYTES, <name>_UNITS, <name>_INSNS, <name>_GROUPS, <name>_LABEL_<label>
#       (edgevp/cgra.h: CGRA_KERNEL(<name>)); target cgra_kernel_<name>.
#   edgevp_cgra_use(<app> <name>...)
#       lets app #include "<name>.h".

include(${CMAKE_CURRENT_LIST_DIR}/kernels.cmake)
edgevp_kernel_kind(cgra TOOL "${CMAKE_CURRENT_LIST_DIR}/../../tools/cgra/cgrasm.py" OPTION --fabric CACHE EDGEVP_CGRA_FABRIC
                   DESCRIPTION "${CMAKE_CURRENT_LIST_DIR}/../../models/accelerators/cgra/blocks.json"
                   VERB "Making CGRA kernel"
                   HELP "Fabric description the firmware's CGRA kernels are made for (cgra0's, by default the built-in Blocks-like fabric)")

function(edgevp_cgra_kernel name)
  cmake_parse_arguments(K "" "SOURCE;FABRIC" "" ${ARGN})
  set(args SOURCE "${K_SOURCE}" ${K_UNPARSED_ARGUMENTS})
  if(K_FABRIC)
    list(APPEND args DESCRIPTION "${K_FABRIC}")
  endif()
  edgevp_kernel(cgra ${name} ${args})
endfunction()

function(edgevp_cgra_use app)
  edgevp_kernel_use(cgra ${app} ${ARGN})
endfunction()
