# Regenerates build_info.hpp at every build, so the git commit recorded in JSON provenance is the
# one actually built (configure_file leaves the file untouched when nothing changed).
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE CERTBOUND_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT CERTBOUND_GIT_COMMIT)
  set(CERTBOUND_GIT_COMMIT "unknown")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE _dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_dirty)
  string(APPEND CERTBOUND_GIT_COMMIT "-modified")
endif()
# The cold code (engines, proofs/, reports, file formats, the command line but bench, the tests) adds its own level.
set(CERTBOUND_COLD_NOTE "")
if(CERTBOUND_COLD_FLAGS)
  set(CERTBOUND_COLD_NOTE "; engines, proofs/, reports, file formats, command line (but bench) and tests: ${CERTBOUND_COLD_FLAGS} after these")
endif()
configure_file(${SOURCE_DIR}/src/build_info.hpp.in ${OUTPUT} @ONLY)
