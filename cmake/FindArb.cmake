# Arb 2.x on Debian 12: headers in /usr/include, library libflint-arb (FLINT 3 merged Arb into
# libflint with headers under flint/; both layouts are accepted).
find_path(ARB_INCLUDE_DIR arb.h PATH_SUFFIXES flint)
find_library(ARB_LIBRARY NAMES flint-arb arb flint)
find_library(FLINT_LIBRARY flint)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Arb REQUIRED_VARS ARB_LIBRARY FLINT_LIBRARY ARB_INCLUDE_DIR)
if(Arb_FOUND AND NOT TARGET Arb::Arb)
  add_library(Arb::Arb UNKNOWN IMPORTED)
  set_target_properties(Arb::Arb PROPERTIES IMPORTED_LOCATION "${ARB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${ARB_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${FLINT_LIBRARY};PkgConfig::MPFR;PkgConfig::GMP")
endif()
