# Installing kpix on a Linux desktop (native builds only): man pages made from each program's
# --help by help2man, the .desktop file that puts kpix in a file manager's "Open with", and the
# icon in hicolor's sizes. The programs and samples are installed where they are built.
include(KpixIcons)

# --- man pages: generated from --help and --version, so they never disagree with them ------------
find_program(KPIX_HELP2MAN help2man)
if(NOT KPIX_HELP2MAN)
    message(STATUS "help2man not found: no man pages (apt-get install help2man)")
else()
    set(kpix_man_pages "")
    # kpix_man(TARGET "one-line description")
    function(kpix_man target description)
        set(page "${CMAKE_BINARY_DIR}/man/${target}.1")
        add_custom_command(OUTPUT "${page}"
            COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/man"
            COMMAND "${KPIX_HELP2MAN}" --no-info --no-discard-stderr
                    "--name=${description}"
                    "--output=${page}" "$<TARGET_FILE:${target}>"
            DEPENDS ${target}
            COMMENT "Writing the man page ${target}.1 from ${target} --help"
            VERBATIM)
        set(kpix_man_pages ${kpix_man_pages} "${page}" PARENT_SCOPE)
        install(FILES "${page}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
    endfunction()
    kpix_man(kpix-cli "cluster the pixels of photos with k-means++ (command line)")
    if(KPIX_BUILD_APP)
        kpix_man(kpix "watch k-means++ cluster the pixels of a photo (desktop app)")
    endif()
    add_custom_target(kpix_man_pages ALL DEPENDS ${kpix_man_pages})
endif()

# --- the desktop entry and its icon ------------------------------------------------------------
if(KPIX_BUILD_APP)
    install(FILES "${PROJECT_SOURCE_DIR}/data/kpix.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    install(FILES "${KPIX_ICON_SVG}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
    if(NOT KPIX_RSVG_CONVERT)
        message(STATUS "rsvg-convert not found: the icon is installed as SVG only (apt-get install librsvg2-bin)")
    else()
        set(kpix_icon_pngs "")
        foreach(size 16 22 24 32 48 64 128 256 512)
            set(png "${CMAKE_BINARY_DIR}/icons/hicolor/${size}x${size}/apps/kpix.png")
            kpix_render_icon("${png}" ${size})
            list(APPEND kpix_icon_pngs "${png}")
        endforeach()
        add_custom_target(kpix_icons ALL DEPENDS ${kpix_icon_pngs})
        install(DIRECTORY "${CMAKE_BINARY_DIR}/icons/hicolor" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons")
    endif()
endif()
