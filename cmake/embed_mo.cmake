# Writes the compiled catalogue MO as a C array NAME (and NAME_size) into OUT,
# so the library carries its messages with it (engine/base/tr.c says why).
file(READ "${MO}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR size "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n  " body "${body}")
file(WRITE "${OUT}"
  "/* Generated from ${MO} by cmake/embed_mo.cmake: do not edit. */\n"
  "#include <stddef.h>\n"
  "extern const unsigned char ${NAME}[];\n"
  "extern const size_t ${NAME}_size;\n"
  "const unsigned char ${NAME}[] = {\n  ${body}0};\n"
  "const size_t ${NAME}_size = ${size};\n")
