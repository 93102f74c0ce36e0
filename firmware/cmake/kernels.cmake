# Accelerator kernels made at build time by a tool of tools/ from sources next to the app that
# uses them, into C headers in the build tree which apps #include (cmake/tta.cmake, cmake/cgra.cmake
# declare the two kinds of kernel with it).
#
#   edgevp_kernel_kind(<kind> TOOL <tool.py> OPTION <--machine|--fabric> CACHE <variable>
#                      DESCRIPTION <json> HELP <its help> VERB <what the build says>)
#       declares a kind of kernel: the tool, its option naming the description, the default
#       description (the cache entry <variable>), headers in <build>/<kind>.
#   edgevp_kernel(<kind> <name> SOURCE <file> [DESCRIPTION <json>])
#       makes <build>/<kind>/<name>.h from SOURCE for the description; target <kind>_kernel_<name>.
#       Made again when the source, the description or the tool changes.
#   edgevp_kernel_use(<kind> <app> <name>...)
#       lets app #include "<name>.h": builds the kernels first, adds <build>/<kind> to its includes.

find_package(Python3 3.8 REQUIRED COMPONENTS Interpreter)

function(edgevp_kernel_kind kind)
  cmake_parse_arguments(K "" "TOOL;OPTION;CACHE;DESCRIPTION;VERB;HELP" "" ${ARGN})
  string(TOUPPER "${kind}" up)
  get_filename_component(tool "${K_TOOL}" ABSOLUTE)
  get_filename_component(description "${K_DESCRIPTION}" ABSOLUTE)
  set(${K_CACHE} "${description}" CACHE FILEPATH "${K_HELP}")
  set_property(GLOBAL PROPERTY EDGEVP_${up}_CACHE "${K_CACHE}")
  set_property(GLOBAL PROPERTY EDGEVP_${up}_TOOL "${tool}")
  set_property(GLOBAL PROPERTY EDGEVP_${up}_OPTION "${K_OPTION}")
  set_property(GLOBAL PROPERTY EDGEVP_${up}_VERB "${K_VERB}")
endfunction()

function(edgevp_kernel kind name)
  cmake_parse_arguments(K "" "SOURCE;DESCRIPTION" "" ${ARGN})
  string(TOUPPER "${kind}" up)
  if(NOT K_SOURCE)
    message(FATAL_ERROR "edgevp_${kind}_kernel(${name}): SOURCE is required")
  endif()
  if(K_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "edgevp_${kind}_kernel(${name}): unknown arguments ${K_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "edgevp_${kind}_kernel(${name}): the name must be a C identifier")
  endif()
  get_property(tool GLOBAL PROPERTY EDGEVP_${up}_TOOL)
  get_property(option GLOBAL PROPERTY EDGEVP_${up}_OPTION)
  get_property(verb GLOBAL PROPERTY EDGEVP_${up}_VERB)
  get_property(cache GLOBAL PROPERTY EDGEVP_${up}_CACHE)
  get_filename_component(source "${K_SOURCE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(description "${${cache}}" ABSOLUTE)
  if(K_DESCRIPTION)
    get_filename_component(description "${K_DESCRIPTION}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  set(dir "${CMAKE_BINARY_DIR}/${kind}")
  set(header "${dir}/${name}.h")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND "${Python3_EXECUTABLE}" "${tool}" ${option} "${description}" --name ${name} -o "${header}" "${source}"
    DEPENDS "${source}" "${description}" "${tool}"
    COMMENT "${verb} ${name} (${K_SOURCE})"
    VERBATIM)
  add_custom_target(${kind}_kernel_${name} DEPENDS "${header}")
endfunction()

function(edgevp_kernel_use kind app)
  foreach(name ${ARGN})
    add_dependencies(${app} ${kind}_kernel_${name})
  endforeach()
  target_include_directories(${app} PRIVATE "${CMAKE_BINARY_DIR}/${kind}")
endfunction()
