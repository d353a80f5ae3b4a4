# stream_explorer_add_plugin(<id>): the explorer plugin of the calling folder,
# built from <id>_explorer.cpp (the strategy) and <id>_explorer_plugin.cpp (the
# one export). The strategy forms an object library, stream_explorer_<id>_objects,
# so the plugin and its tests compile the same code; the entry point stays out of
# it so that one test binary can hold several explorers (each reached through its
# descriptor). Included by each explorer's CMakeLists.txt, because the plugin
# folders are added in name order and explorer-common comes after explorer-anneal.
function(stream_explorer_add_plugin id)
  set(objects stream_explorer_${id}_objects)
  add_library(${objects} OBJECT ${id}_explorer.cpp)
  target_include_directories(${objects} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${objects} PUBLIC StreamDSE::sdk stream_explorer_common)
  set_target_properties(${objects} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # The objects come in as sources (linking the object library too would add them twice).
  stream_dse_add_plugin(explorer-${id} SOURCES ${id}_explorer_plugin.cpp $<TARGET_OBJECTS:${objects}>
    LINK stream_explorer_common)
endfunction()
