#===- cmake/KilnInstall.cmake - cmake --install rules and KilnConfig ------===#
#
# Part of the Kiln project.
#
# Included last by the top-level CMakeLists.txt, once every target exists.
# `cmake --install build --prefix PREFIX` then lays out:
#
#   PREFIX/bin/               kilnc kiln-opt kiln-interp kiln-npy kiln-gradcheck
#   PREFIX/include/kiln/      headers, .td files and the generated .inc files
#   PREFIX/lib/               the compiler libraries (libKiln*.a) and the
#                             runtime (libkiln_runtime.a, libkiln_runtime_main.a)
#   PREFIX/lib/cmake/kiln/    KilnConfig.cmake, KilnConfigVersion.cmake,
#                             KilnTargets.cmake (imported targets Kiln::...)
#   PREFIX/share/doc/kiln/    README.md, docs/*.md, the generated op and pass
#                             reference (Dialects/, Passes/)
#   PREFIX/share/kiln/examples/  the example models and the plugin example
#
# The installed kilnc finds the runtime in ../lib next to itself, i.e.
# PREFIX/lib, so `PREFIX/bin/kilnc model.mlir -o prog` works from anywhere.
#
#===----------------------------------------------------------------------===#

include(CMakePackageConfigHelpers)

set(KILN_INSTALL_INCLUDEDIR include)
set(KILN_INSTALL_LIBDIR lib${LLVM_LIBDIR_SUFFIX})
set(KILN_INSTALL_BINDIR bin)
set(KILN_INSTALL_CMAKEDIR ${KILN_INSTALL_LIBDIR}/cmake/kiln)
set(KILN_INSTALL_DOCDIR share/doc/kiln)
set(KILN_INSTALL_EXAMPLESDIR share/kiln/examples)

# The compiler libraries. add_mlir_library already installs each of them
# into lib/ as a member of the export set `MLIRTargets` (MLIR's convention
# for every project built with AddMLIR); that set is exported below as
# KilnTargets.cmake under the namespace Kiln::, with the `Kiln` prefix
# dropped from the names: KilnNNDialect is Kiln::NNDialect.
get_property(kiln_mlir_exports GLOBAL PROPERTY MLIR_EXPORTS)
set(KILN_EXPORTED_LIBRARIES)
set(KILN_EXPORTED_LIBRARY_NAMES)
foreach(lib IN LISTS kiln_mlir_exports)
  if(lib MATCHES "^Kiln(.+)$")
    set_target_properties(${lib} PROPERTIES EXPORT_NAME ${CMAKE_MATCH_1})
    list(APPEND KILN_EXPORTED_LIBRARY_NAMES ${CMAKE_MATCH_1})
    target_include_directories(${lib}
      INTERFACE $<INSTALL_INTERFACE:${KILN_INSTALL_INCLUDEDIR}>)
    list(APPEND KILN_EXPORTED_LIBRARIES ${lib})
  endif()
endforeach()

# The C runtime: Kiln::Runtime (libkiln_runtime.a, libc + libm only) and
# Kiln::RuntimeMain (the main() of compiled executables). KilnTarget and
# KilnReference link the runtime, so it belongs to the same export set.
# A sanitized build's libraries (KILN_SANITIZE, docs/Reliability.md) need the
# sanitizer runtimes wherever they are linked: consumers of the installed
# package get the -fsanitize= option with them.
if(KILN_SANITIZE)
  foreach(lib IN LISTS KILN_EXPORTED_LIBRARIES ITEMS kiln_runtime kiln_runtime_main)
    target_link_options(${lib} INTERFACE -fsanitize=${KILN_SANITIZE})
  endforeach()
endif()

set_target_properties(kiln_runtime PROPERTIES EXPORT_NAME Runtime)
set_target_properties(kiln_runtime_main PROPERTIES EXPORT_NAME RuntimeMain)
foreach(lib kiln_runtime kiln_runtime_main)
  target_include_directories(${lib}
    INTERFACE $<INSTALL_INTERFACE:${KILN_INSTALL_INCLUDEDIR}>)
endforeach()
install(TARGETS kiln_runtime kiln_runtime_main
  EXPORT MLIRTargets
  COMPONENT kiln-runtime
  ARCHIVE DESTINATION ${KILN_INSTALL_LIBDIR})

install(EXPORT MLIRTargets
  NAMESPACE Kiln::
  FILE KilnTargets.cmake
  DESTINATION ${KILN_INSTALL_CMAKEDIR}
  COMPONENT kiln-cmake)

# The tools. kilnc finds the runtime archives in ../lib next to itself.
# libMLIR.so lives in LLVM's library directory, which is not on the loader's
# path: AddLLVM puts it in the build tree's RPATH only, so add it to the
# installed one.
set(KILN_INSTALLED_TOOLS)
foreach(tool kilnc kiln-opt kiln-interp kiln-npy kiln-gradcheck)
  if(TARGET ${tool})
    list(APPEND KILN_INSTALLED_TOOLS ${tool})
    get_target_property(tool_libs ${tool} LINK_LIBRARIES)
    if("MLIR" IN_LIST tool_libs)
      set_property(TARGET ${tool} APPEND PROPERTY
        INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
    endif()
  endif()
endforeach()
install(TARGETS ${KILN_INSTALLED_TOOLS}
  COMPONENT kiln-tools
  RUNTIME DESTINATION ${KILN_INSTALL_BINDIR})

# Headers: the hand-written ones with their .td files, and the .inc files
# that TableGen generates into the build tree.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/kiln
  DESTINATION ${KILN_INSTALL_INCLUDEDIR}
  COMPONENT kiln-headers
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/kiln
  DESTINATION ${KILN_INSTALL_INCLUDEDIR}
  COMPONENT kiln-headers
  FILES_MATCHING PATTERN "*.inc"
  PATTERN "CMakeFiles" EXCLUDE)

# Documentation: the hand-written docs and the generated reference
# (target kiln-doc, part of every build).
install(FILES ${PROJECT_SOURCE_DIR}/README.md
  DESTINATION ${KILN_INSTALL_DOCDIR}
  COMPONENT kiln-docs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
  DESTINATION ${KILN_INSTALL_DOCDIR}
  COMPONENT kiln-docs
  FILES_MATCHING PATTERN "*.md")
install(DIRECTORY ${PROJECT_BINARY_DIR}/docs/
  DESTINATION ${KILN_INSTALL_DOCDIR}
  COMPONENT kiln-docs
  FILES_MATCHING PATTERN "*.md"
  PATTERN "CMakeFiles" EXCLUDE)

# The examples: models, their data, and the plugin example, which builds
# against this installation (find_package(Kiln)).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/
  DESTINATION ${KILN_INSTALL_EXAMPLESDIR}
  COMPONENT kiln-examples)

# KilnConfig.cmake for find_package(Kiln CONFIG): the imported targets, the
# MLIR installation Kiln was built with, and the installed tools.
string(REPLACE ";" " " KILN_EXPORTED_LIBRARY_NAMES "${KILN_EXPORTED_LIBRARY_NAMES}")
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/KilnConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/KilnConfig.cmake
  INSTALL_DESTINATION ${KILN_INSTALL_CMAKEDIR}
  PATH_VARS KILN_INSTALL_INCLUDEDIR KILN_INSTALL_LIBDIR KILN_INSTALL_BINDIR
            KILN_INSTALL_DOCDIR KILN_INSTALL_EXAMPLESDIR)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/KilnConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/KilnConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/KilnConfigVersion.cmake
  DESTINATION ${KILN_INSTALL_CMAKEDIR}
  COMPONENT kiln-cmake)

# The install tests (test/Plugins/install-*.test) run `cmake --install` on
# this build tree, which needs every installed file built: check-kiln
# depends on all of them.
if(TARGET check-kiln)
  add_dependencies(check-kiln ${KILN_EXPORTED_LIBRARIES} kiln_runtime
    kiln_runtime_main ${KILN_INSTALLED_TOOLS})
  if(TARGET kiln-doc)
    add_dependencies(check-kiln kiln-doc)
  endif()
endif()
