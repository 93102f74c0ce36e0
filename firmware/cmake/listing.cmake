# cmake -DOBJDUMP=<objdump> -DELF=<image.elf> -DLST=<image.lst> -P listing.cmake
# Writes the disassembly of an image (objdump -d) next to it.
execute_process(COMMAND "${OBJDUMP}" -d "${ELF}" OUTPUT_FILE "${LST}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "objdump -d ${ELF} failed: ${result}")
endif()
