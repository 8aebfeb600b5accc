# Writes OUTPUT, a C++ source that defines the dashboard's files as
# std::string_view constants (declared in service/dashboard_assets.h).
# Run as: cmake -DSOURCE_DIR=... -DOUTPUT=... -P embed.cmake

set(assets
    "index.html=kDashboardHtml"
    "dashboard.js=kDashboardScript"
    "dashboard.css=kDashboardStyle")

set(content "// Generated from src/service/dashboard by embed.cmake; do not edit.\n")
string(APPEND content "#include \"service/dashboard_assets.h\"\n\n")
string(APPEND content "namespace parlay::service {\n\n")
foreach(asset IN LISTS assets)
  string(REPLACE "=" ";" parts "${asset}")
  list(GET parts 0 file)
  list(GET parts 1 name)
  file(READ "${SOURCE_DIR}/${file}" text)
  string(FIND "${text}" ")asset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains )asset\", which ends the raw "
                        "string literal it is embedded in")
  endif()
  string(APPEND content "const std::string_view ${name} = R\"asset(${text})asset\";\n\n")
endforeach()
string(APPEND content "}  // namespace parlay::service\n")
file(WRITE "${OUTPUT}" "${content}")
