# RTL blocks (rtl/*.sv) verilated into C++ models with Verilator's own CMake package (DESIGN.md
# "RTL co-simulation"). Tracing is compiled in; a run opens a waveform only with --rtl-vcd.
#
# The generated code and Verilator's runtime go into their own library, built without the
# project's warning flags (generated code is not ours to warn about); the model library sees their
# headers as system headers.
find_package(verilator 5 REQUIRED HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator)

set(EDGEVP_RTL_DIR ${PROJECT_SOURCE_DIR}/rtl)
# One entry per block: top module; its sources (the top file first).
set(EDGEVP_RTL_BLOCKS edgevp_cim_digital edgevp_gpio)
set(EDGEVP_RTL_SOURCES_edgevp_cim_digital ${EDGEVP_RTL_DIR}/edgevp_cim_digital.sv
    ${EDGEVP_RTL_DIR}/edgevp_axi_dma_rd.sv ${EDGEVP_RTL_DIR}/edgevp_axi_dma_wr.sv)
set(EDGEVP_RTL_SOURCES_edgevp_gpio ${EDGEVP_RTL_DIR}/edgevp_gpio.sv)

add_library(edgevp_verilated STATIC)
set_target_properties(edgevp_verilated PROPERTIES CXX_STANDARD 17)
target_compile_options(edgevp_verilated PRIVATE -w)
if(EDGEVP_SANITIZE)
  target_compile_options(edgevp_verilated PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
endif()
foreach(top ${EDGEVP_RTL_BLOCKS})
  verilate(edgevp_verilated
    SOURCES ${EDGEVP_RTL_SOURCES_${top}}
    TOP_MODULE ${top}
    PREFIX V${top}
    INCLUDE_DIRS ${EDGEVP_RTL_DIR}
    TRACE
    VERILATOR_ARGS -Wno-fatal --x-assign fast --x-initial fast -O3)
endforeach()
get_target_property(EDGEVP_VERILATED_INCLUDES edgevp_verilated INCLUDE_DIRECTORIES)
target_link_libraries(edgevp_verilated PUBLIC Threads::Threads)

# The lint the issue asks for: -Wall, no output. (verilate() lints too, but a ctest names it.)
function(edgevp_rtl_lint_tests)
  foreach(top ${EDGEVP_RTL_BLOCKS})
    add_test(NAME rtl.lint.${top}
             COMMAND ${VERILATOR_BIN} --lint-only -Wall -I${EDGEVP_RTL_DIR} --top-module ${top}
                     ${EDGEVP_RTL_SOURCES_${top}})
    set_tests_properties(rtl.lint.${top} PROPERTIES LABELS rtl FAIL_REGULAR_EXPRESSION "%Warning|%Error")
  endforeach()
endfunction()
