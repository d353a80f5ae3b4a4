# FindGecode: Debian's libgecode-dev (6.2) ships neither a CMake config nor a
# pkg-config file, so locate headers and libraries by hand.
#
# Imported targets: Gecode::support, Gecode::kernel, Gecode::search, Gecode::int,
# Gecode::set, Gecode::float, Gecode::minimodel, Gecode::driver, and Gecode::Gecode
# (minimodel + int + search + kernel + support, what a typical model links).
# Variables: Gecode_FOUND, Gecode_VERSION, Gecode_INCLUDE_DIR.
find_path(Gecode_INCLUDE_DIR gecode/kernel.hh)

if(Gecode_INCLUDE_DIR AND EXISTS "${Gecode_INCLUDE_DIR}/gecode/support/config.hpp")
  file(STRINGS "${Gecode_INCLUDE_DIR}/gecode/support/config.hpp" _gecode_version_line
       REGEX "^#define GECODE_VERSION \"[0-9.]+\"")
  string(REGEX REPLACE ".*\"([0-9.]+)\".*" "\\1" Gecode_VERSION "${_gecode_version_line}")
endif()

set(_gecode_components support kernel search int set float minimodel driver)
set(_gecode_required_vars Gecode_INCLUDE_DIR)
foreach(comp IN LISTS _gecode_components)
  find_library(Gecode_${comp}_LIBRARY NAMES gecode${comp})
  mark_as_advanced(Gecode_${comp}_LIBRARY)
endforeach()
foreach(comp support kernel search int minimodel)
  list(APPEND _gecode_required_vars Gecode_${comp}_LIBRARY)
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Gecode
  REQUIRED_VARS ${_gecode_required_vars}
  VERSION_VAR Gecode_VERSION)

if(Gecode_FOUND)
  find_package(Threads REQUIRED)
  # Link dependencies between the components, innermost first.
  set(_gecode_deps_support "Threads::Threads")
  set(_gecode_deps_kernel "Gecode::support")
  set(_gecode_deps_search "Gecode::kernel")
  set(_gecode_deps_int "Gecode::kernel")
  set(_gecode_deps_set "Gecode::int")
  set(_gecode_deps_float "Gecode::int")
  set(_gecode_deps_minimodel "Gecode::int;Gecode::search")
  set(_gecode_deps_driver "Gecode::minimodel")
  foreach(comp IN LISTS _gecode_components)
    if(Gecode_${comp}_LIBRARY AND NOT TARGET Gecode::${comp})
      add_library(Gecode::${comp} UNKNOWN IMPORTED)
      set_target_properties(Gecode::${comp} PROPERTIES
        IMPORTED_LOCATION "${Gecode_${comp}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Gecode_INCLUDE_DIR}"
        INTERFACE_LINK_LIBRARIES "${_gecode_deps_${comp}}")
    endif()
  endforeach()
  if(NOT TARGET Gecode::Gecode)
    add_library(Gecode::Gecode INTERFACE IMPORTED)
    set_target_properties(Gecode::Gecode PROPERTIES
      INTERFACE_LINK_LIBRARIES "Gecode::minimodel;Gecode::int;Gecode::search;Gecode::kernel;Gecode::support")
  endif()
endif()
mark_as_advanced(Gecode_INCLUDE_DIR)
