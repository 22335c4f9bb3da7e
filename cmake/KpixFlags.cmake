# Compiler flags shared by every target, and the one place that knows the web link flags.

# The wasm code-generation flags: SIMD always, pthreads unless this is the single-threaded build.
# -mnontrapping-fptoint: a float-to-int conversion is one saturating instruction, where clang's
# default (trapping i32.trunc) wraps each in a range test and a branch. NOTE: measured in node,
# rgb+xy k = 1000 on 4 MP, 1 thread: 34.1 -> 31.1 s (medians of 3 alternated runs, load ~2.1);
# the grid's locate() converts twice per point searched. Same results: the two differ only where
# the conversion is undefined in C++ (out of range, NaN).
if(KPIX_THREADS)
    set(KPIX_WASM_FLAGS -pthread -msimd128 -mnontrapping-fptoint)
else()
    set(KPIX_WASM_FLAGS -msimd128 -mnontrapping-fptoint)
endif()

# Reproducibility: the same float operations in the same order natively and in wasm, so no
# contraction into FMA and no -ffast-math anywhere.
function(kpix_common_flags target)
    target_compile_options(${target} PRIVATE -ffp-contract=off)
    if(EMSCRIPTEN)
        target_compile_options(${target} PRIVATE ${KPIX_WASM_FLAGS})
    endif()
    if(KPIX_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
    if(KPIX_FUZZ)
        # Coverage for libFuzzer everywhere (stb_image included); UB stops the run like a crash.
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fno-sanitize-recover=undefined)
    endif()
endfunction()

function(kpix_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
    if(KPIX_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # NOTE: GCC 12 with -fsanitize reports -Wmaybe-uninitialized inside libstdc++'s
        # std::regex (pulled in by Catch2's main), a false positive in code that is not ours.
        target_compile_options(${target} PRIVATE -Wno-error=maybe-uninitialized)
    endif()
endfunction()

# Link flags for a wasm executable. kind: "app" (the page) or "node" (tests run under node).
function(kpix_web_link_flags target kind)
    target_link_options(${target} PRIVATE
        ${KPIX_WASM_FLAGS}
        -sALLOW_MEMORY_GROWTH=1
        -sINITIAL_MEMORY=256MB
        -sMAXIMUM_MEMORY=4GB
        -sEXIT_RUNTIME=0
    )
    if(kind STREQUAL "app")
        target_link_options(${target} PRIVATE
            -sMAX_WEBGL_VERSION=2 -sMIN_WEBGL_VERSION=2
            # The page's kpix_* entry points are exported by EMSCRIPTEN_KEEPALIVE where they are
            # defined (src/platform/web.cpp's bridge block), so they are named there only.
            -sEXPORTED_FUNCTIONS=_main,_malloc,_free
            -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8
        )
        if(KPIX_THREADS)
            target_link_options(${target} PRIVATE
                # The runner, its pool's workers, the round labeler, one for an export, and the
                # "Choose k" worker (it shares the runner's pool).
                -sPTHREAD_POOL_SIZE=navigator.hardwareConcurrency+3
                -sENVIRONMENT=web,worker
            )
        else()
            target_link_options(${target} PRIVATE -sENVIRONMENT=web)
        endif()
    else()
        target_link_options(${target} PRIVATE
            -sNODERAWFS=1 -sEXIT_RUNTIME=1 -sENVIRONMENT=node -sPROXY_TO_PTHREAD=1
            -sPTHREAD_POOL_SIZE=4
        )
    endif()
    set_target_properties(${target} PROPERTIES SUFFIX ".js")
endfunction()

# The sample photos (scripts/setup.sh unpacks them from Debian's python3-skimage; never committed)
# are copied next to a build after it links, and installed with it.
set(KPIX_SAMPLE_FILES coffee.png chelsea.png astronaut.png rocket.jpg hubble_deep_field.jpg)
function(kpix_copy_samples target dest)
    set(files "")
    foreach(f ${KPIX_SAMPLE_FILES})
        if(NOT EXISTS "${KPIX_SAMPLES_DIR}/${f}")
            message(FATAL_ERROR "sample ${f} not found in '${KPIX_SAMPLES_DIR}': run scripts/setup.sh")
        endif()
        list(APPEND files "${KPIX_SAMPLES_DIR}/${f}")
    endforeach()
    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E make_directory "${dest}"
        COMMAND ${CMAKE_COMMAND} -E copy_if_different ${files} "${dest}"
        VERBATIM)
    if(NOT EMSCRIPTEN)
        install(FILES ${files} DESTINATION ${KPIX_INSTALL_SAMPLESDIR})
    endif()
endfunction()

# kpix_wasm_archive(TARGET DIR LIB): DIR/lib/LIB, a library scripts/setup.sh built for wasm from
# its Debian source, imported as TARGET with DIR/include as a system include dir (so -Werror does
# not reach its headers); stops with what to run when it is missing.
function(kpix_wasm_archive target dir lib)
    if(NOT EXISTS "${dir}/lib/${lib}")
        message(FATAL_ERROR "${lib} for wasm not found in '${dir}': run scripts/setup.sh and source scripts/env.sh")
    endif()
    add_library(${target} STATIC IMPORTED)
    set_target_properties(${target} PROPERTIES
        IMPORTED_LOCATION "${dir}/lib/${lib}"
        INTERFACE_INCLUDE_DIRECTORIES "${dir}/include")
endfunction()

# kpix_pkg_library(TARGET MODULE): a Debian -dev package found through pkg-config, as TARGET.
function(kpix_pkg_library target module)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(${target}_pkg REQUIRED IMPORTED_TARGET ${module})
    add_library(${target} INTERFACE IMPORTED)
    target_link_libraries(${target} INTERFACE PkgConfig::${target}_pkg)
endfunction()
