# SPDX-License-Identifier: MIT
# Project helpers that keep each component's CMakeLists to a few lines.

function(gasper_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(GASPER_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(GASPER_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  target_compile_definitions(${target} PRIVATE QT_NO_CAST_FROM_ASCII QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER QT_NO_FOREACH)
endfunction()

# gasper_add_library(name SOURCES ... DEPS ...): static library gasper_<name>,
# its folder's parent (backend/) on the include path so code says #include "core/Result.h".
function(gasper_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(gasper_${name} STATIC ${ARG_SOURCES})
  target_include_directories(gasper_${name} PUBLIC ${PROJECT_SOURCE_DIR}/backend)
  target_link_libraries(gasper_${name} PUBLIC ${ARG_DEPS})
  gasper_target_defaults(gasper_${name})
endfunction()

# gasper_add_executable(name SOURCES ... DEPS ...)
function(gasper_add_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  qt_add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  gasper_target_defaults(${name})
endfunction()

# gasper_add_test(name SOURCES ... DEPS ... [LABELS ...] [TIMEOUT s] [FIXTURES ...])
# A Qt Test executable tst_<name>, registered with ctest; asserts forced on.
function(gasper_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS;FIXTURES;ENVIRONMENT" ${ARGN})
  qt_add_executable(tst_${name} ${ARG_SOURCES})
  target_link_libraries(tst_${name} PRIVATE Qt6::Test ${ARG_DEPS})
  target_compile_definitions(tst_${name} PRIVATE QT_FORCE_ASSERTS
    GASPER_SOURCE_DIR="${PROJECT_SOURCE_DIR}" GASPER_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gasper_target_defaults(tst_${name})
  add_test(NAME ${name} COMMAND tst_${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
  if(ARG_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
  if(ARG_ENVIRONMENT)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${ARG_ENVIRONMENT}")
  endif()
endfunction()
