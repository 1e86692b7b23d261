# The Debian package (scripts/package): okr-cascade_<version>_amd64.deb, built by CPack from
# the install layout of the root CMakeLists.txt. Dependencies come from dpkg-shlibdeps; the
# maintainer scripts in packaging/deb add the system user okr and manage the unit.

# Debian wants the changelog and man pages compressed with gzip -9n (-n: no timestamp, so the
# package is reproducible).
find_program(OKR_GZIP gzip REQUIRED)
set(OKR_DEB_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/okr-cascade)
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/packaging)
set(OKR_DEB_CHANGELOG ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(
  OUTPUT ${OKR_DEB_CHANGELOG}
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/packaging/deb/changelog
    ${CMAKE_BINARY_DIR}/packaging/changelog
  COMMAND ${OKR_GZIP} -9nf ${CMAKE_BINARY_DIR}/packaging/changelog
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/deb/changelog
  COMMENT "changelog.gz" VERBATIM)

# Man pages from the programs' own --help (help2man), so they never drift from the flags.
find_program(OKR_HELP2MAN help2man REQUIRED)
set(OKR_DEB_MAN_PAGES)
set(OKR_MAN_NAME_okrd "okr-cascade server: annual targets cascaded month by month")
set(OKR_MAN_NAME_okrctl "command-line client of okrd")
foreach(program okrd okrctl)
  set(page ${CMAKE_BINARY_DIR}/packaging/${program}.1.gz)
  add_custom_command(
    OUTPUT ${page}
    COMMAND ${OKR_HELP2MAN} --no-info --no-discard-stderr --section=1
      --version-string=${PROJECT_VERSION} "--name=${OKR_MAN_NAME_${program}}"
      --output=${CMAKE_BINARY_DIR}/packaging/${program}.1 $<TARGET_FILE:${program}>
    COMMAND ${OKR_GZIP} -9nf ${CMAKE_BINARY_DIR}/packaging/${program}.1
    DEPENDS ${program}
    COMMENT "man page of ${program}" VERBATIM)
  list(APPEND OKR_DEB_MAN_PAGES ${page})
endforeach()
add_custom_target(okr_package_files ALL DEPENDS ${OKR_DEB_CHANGELOG} ${OKR_DEB_MAN_PAGES})

install(FILES ${OKR_DEB_CHANGELOG} packaging/deb/copyright DESTINATION ${OKR_DEB_DOC_DIR})
install(FILES ${OKR_DEB_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME okr-cascade)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "okr-cascade maintainers <maintainers@okr-cascade.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "goal-cascading server for customer-support organisations")
# The extended description: lines of at most 80 characters (lintian).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "okrd stores a support organisation's annual targets in RocksDB and
cascades them into team, group and agent KPIs month by month. It ingests
actuals, rolls progress up the org tree and runs plugins for incentive
rules, escalation red-lines and recognition awards. okrctl is its
command-line client; a dashboard and Prometheus metrics are served over
HTTP when enabled.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # okr-cascade_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The maintainer scripts call adduser; the unit reloads with /bin/kill (procps).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, procps")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/packaging/deb/postinst ${CMAKE_SOURCE_DIR}/packaging/deb/prerm
  ${CMAKE_SOURCE_DIR}/packaging/deb/postrm ${CMAKE_SOURCE_DIR}/packaging/deb/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/package)
include(CPack)
