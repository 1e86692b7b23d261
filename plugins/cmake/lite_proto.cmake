# Copies a .proto and marks the copy optimize_for = LITE_RUNTIME (see plugins/CMakeLists.txt).
# Usage: cmake -DIN=<proto> -DOUT=<copy> -P lite_proto.cmake
file(READ ${IN} content)
file(WRITE ${OUT} "${content}\n// Added by plugins/cmake/lite_proto.cmake for the plugins' copy.\n"
  "option optimize_for = LITE_RUNTIME;\n")
