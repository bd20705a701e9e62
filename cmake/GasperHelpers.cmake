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

# The executables of the tests labelled `release` (packaging/test.sh runs them against the
# release build): the target release_tests, made at the end of the top-level CMakeLists, builds them.
function(gasper_release_test_target target)
  set_property(GLOBAL APPEND PROPERTY GASPER_RELEASE_TEST_TARGETS ${target})
endfunction()

# gasper_add_test(name SOURCES ... DEPS ... [LABELS ...] [TIMEOUT s] [FIXTURES ...])
# A Qt Test executable tst_<name>, registered with ctest; asserts forced on.
function(gasper_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS;FIXTURES;ENVIRONMENT" ${ARGN})
  qt_add_executable(tst_${name} ${ARG_SOURCES})
  # A test is one file (and its moc): a unity batch would only mix its helpers with a fuzz target's.
  set_target_properties(tst_${name} PROPERTIES UNITY_BUILD OFF)
  if(NOT GASPER_TESTS_IN_ALL)
    set_target_properties(tst_${name} PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
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
    if("release" IN_LIST ARG_LABELS)
      gasper_release_test_target(tst_${name})
    endif()
  endif()
  if(ARG_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
  if(ARG_ENVIRONMENT)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${ARG_ENVIRONMENT}")
  endif()
endfunction()

# gasper_add_fuzz_smoke(name FUZZER tests/fuzz/x.cpp CORPUS corpus/x DEPS ... [DICT x.dict]
#                       [MIN_SEEDS n] [ITERATIONS n] [MAX_LEN n] [SELECTOR])
# A ctest of a libFuzzer entry point built with the project's compiler and no libFuzzer: the one
# runner tests/fuzz/tst_fuzz_smoke.cpp over the corpus, seed pairs and seeded mutations.
# CORPUS and DICT are relative to tests/fuzz. SELECTOR: the target reads byte 0 as a mode.
function(gasper_add_fuzz_smoke name)
  cmake_parse_arguments(ARG "SELECTOR" "FUZZER;CORPUS;DICT;MIN_SEEDS;ITERATIONS;MAX_LEN" "DEPS" ${ARGN})
  set(fuzz_dir ${PROJECT_SOURCE_DIR}/tests/fuzz)
  gasper_add_test(${name} SOURCES ${fuzz_dir}/tst_fuzz_smoke.cpp ${fuzz_dir}/${ARG_FUZZER}
    DEPS ${ARG_DEPS} LABELS unit TIMEOUT 300)
  if(NOT ARG_MIN_SEEDS)
    set(ARG_MIN_SEEDS 6)
  endif()
  if(NOT ARG_ITERATIONS)
    set(ARG_ITERATIONS 20000)
  endif()
  if(NOT ARG_MAX_LEN)
    set(ARG_MAX_LEN 8192)
  endif()
  set(dict "")
  if(ARG_DICT)
    set(dict ${fuzz_dir}/${ARG_DICT})
  endif()
  if(ARG_SELECTOR)
    set(selector 1)
  else()
    set(selector 0)
  endif()
  target_compile_definitions(tst_${name} PRIVATE GASPER_FUZZ_CORPUS="${fuzz_dir}/${ARG_CORPUS}"
    GASPER_FUZZ_DICT="${dict}" GASPER_FUZZ_MIN_SEEDS=${ARG_MIN_SEEDS} GASPER_FUZZ_ITERATIONS=${ARG_ITERATIONS}
    GASPER_FUZZ_MAX_LEN=${ARG_MAX_LEN} GASPER_FUZZ_SELECTOR=${selector})
endfunction()
