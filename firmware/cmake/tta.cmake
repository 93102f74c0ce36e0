# TTA kernels (docs/models/tta.md): assembly sources (<app>/<kernel>.tta) assembled at build time
# by tools/tta/ttasm.py into C headers in the build tree (cmake/kernels.cmake).
#
#   edgevp_tta_kernel(<name> SOURCE <file.tta> [MACHINE <machine.json>])
#       assembles SOURCE for MACHINE (default EDGEVP_TTA_MACHINE, the default SoC's tta0) into
#       <build>/tta/<name>.h: `static const uint64_t <name>_image[]`, <name>_INSNS,
#       <name>_BUSES, <name>_LABEL_<label> (edgevp/tta.h: TTA_PROGRAM(<name>)); target
#       tta_kernel_<name>.
#   edgevp_tta_use(<app> <name>...)
#       lets app #include "<name>.h".

include(${CMAKE_CURRENT_LIST_DIR}/kernels.cmake)
edgevp_kernel_kind(tta TOOL "${CMAKE_CURRENT_LIST_DIR}/../../tools/tta/ttasm.py" OPTION --machine CACHE EDGEVP_TTA_MACHINE
                   DESCRIPTION "${CMAKE_CURRENT_LIST_DIR}/../../models/accelerators/tta/braintta.json"
                   VERB "Assembling TTA kernel"
                   HELP "Machine description the firmware's TTA kernels are assembled for (tta0's, by default the built-in BrainTTA-like machine)")

function(edgevp_tta_kernel name)
  cmake_parse_arguments(K "" "SOURCE;MACHINE" "" ${ARGN})
  set(args SOURCE "${K_SOURCE}" ${K_UNPARSED_ARGUMENTS})
  if(K_MACHINE)
    list(APPEND args DESCRIPTION "${K_MACHINE}")
  endif()
  edgevp_kernel(tta ${name} ${args})
endfunction()

function(edgevp_tta_use app)
  edgevp_kernel_use(tta ${app} ${ARGN})
endfunction()
