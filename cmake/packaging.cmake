# Debian package (issue #10): `cmake --build build --target package` or
# `cd build && cpack -G DEB` writes build/mailpath-exporter_<version>_<arch>.deb.
# Layout (all under /usr unless absolute):
#   /usr/bin/mailpath_exporter, its man page (generated from --help),
#   /lib/systemd/system/mailpath_exporter.service, /etc/default/mailpath_exporter
#   (conffile), /usr/share/mailpath-exporter/{dashboards,alerts},
#   /usr/share/doc/mailpath-exporter/runbooks.
# deploy/debian/{postinst,prerm,postrm} create the user and its groups and
# remove them on purge.

find_package(Python3 REQUIRED COMPONENTS Interpreter)

# The man page, from the built binary's --help and --version.
string(TIMESTAMP MAILPATH_MAN_DATE "%Y-%m-%d" UTC)
set(MAILPATH_MAN ${CMAKE_BINARY_DIR}/man/mailpath_exporter.1)
add_custom_command(
  OUTPUT ${MAILPATH_MAN}.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
  # A sanitizer build's binary must not fail the page on a leak report at exit.
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/gen_manpage.py
          $<TARGET_FILE:mailpath_exporter> ${MAILPATH_MAN} --date ${MAILPATH_MAN_DATE}
  COMMAND gzip -9nf ${MAILPATH_MAN}
  DEPENDS mailpath_exporter ${CMAKE_SOURCE_DIR}/scripts/gen_manpage.py
  VERBATIM)
add_custom_target(mailpath_manpage ALL DEPENDS ${MAILPATH_MAN}.gz)

install(FILES ${MAILPATH_MAN}.gz DESTINATION share/man/man1)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/mailpath_exporter.service
        DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/debian/default
        DESTINATION /etc/default RENAME mailpath_exporter)
file(GLOB MAILPATH_DASHBOARDS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/dashboards/*.json)
file(GLOB MAILPATH_ALERTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/alerts/*.yml)
file(GLOB MAILPATH_RUNBOOKS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/runbooks/*.md)
install(FILES ${MAILPATH_DASHBOARDS} DESTINATION share/mailpath-exporter/dashboards)
install(FILES ${MAILPATH_ALERTS} DESTINATION share/mailpath-exporter/alerts)
install(FILES ${MAILPATH_RUNBOOKS} DESTINATION share/doc/mailpath-exporter/runbooks)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/mailpath-exporter)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mailpath-exporter)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mailpath_exporter maintainers <mailpath@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Prometheus exporter for Postfix and Dovecot mail hosts")
set(CPACK_PACKAGE_DESCRIPTION
  "Exports Postfix queues (showq), rate limits, throttling, TLS losses and\nrejects from the logs or the journal, Dovecot logins and limits, and the TCP\npath health of the mail ports (sock_diag tcp_info). Ships a hardened systemd\nunit, Grafana dashboards and Prometheus alerting rules.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
# adduser for the maintainer scripts; the rest comes from the shared libraries.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postfix, dovecot-core, prometheus, prometheus-alertmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles
  ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
  ${CMAKE_SOURCE_DIR}/deploy/debian/prerm
  ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
