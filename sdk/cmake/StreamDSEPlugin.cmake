# stream_dse_add_plugin(<name> SOURCES <files...> [LINK <targets...>])
#
# Builds one plugin as a MODULE library named stream-<name>.so with hidden
# visibility (the entry function is the only export), no undefined symbols
# (-z defs turns a missing symbol into a link error instead of a load error) and
# no re-exported static dependencies. In-tree and out-of-tree plugins use it alike.
set(_STREAM_DSE_PLUGIN_MAP "${CMAKE_CURRENT_LIST_DIR}/stream-plugin.map")

function(stream_dse_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LINK" ${ARGN})
  set(target stream-plugin-${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  set_property(GLOBAL APPEND PROPERTY STREAM_DSE_PLUGIN_TARGETS ${target})
  if(TARGET StreamDSE::sdk)
    target_link_libraries(${target} PRIVATE StreamDSE::sdk)
  endif()
  if(ARG_LINK)
    target_link_libraries(${target} PRIVATE ${ARG_LINK})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME stream-${name}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED STREAM_DSE_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${STREAM_DSE_PLUGIN_OUTPUT_DIR}")
  endif()
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    get_property(sanitized DIRECTORY PROPERTY COMPILE_OPTIONS)
    if(NOT sanitized MATCHES "fsanitize")
      # Sanitizer runtimes are provided by the host process, so -z defs cannot hold there.
      target_link_options(${target} PRIVATE LINKER:-z,defs)
    endif()
    target_link_options(${target} PRIVATE LINKER:--exclude-libs,ALL
      "LINKER:--version-script=${_STREAM_DSE_PLUGIN_MAP}")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${_STREAM_DSE_PLUGIN_MAP}")
  endif()
  if(DEFINED STREAM_DSE_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${STREAM_DSE_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
