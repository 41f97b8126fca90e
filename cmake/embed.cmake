# Turns files into a C source of byte arrays (the clerk console's CSS and JavaScript, served
# by registryd itself: nothing is fetched from elsewhere).
#   cmake -DOUT=file.c -DFILES="a.css|b.js" -P embed.cmake
# Each file becomes  const unsigned char embed_<name>[]  and  const size_t embed_<name>_len
# (<name>: the file's name with '.' and '-' made '_').
set(text "/* made by cmake/embed.cmake: do not edit */\n#include <stddef.h>\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f ${FILES})
    get_filename_component(name ${f} NAME)
    string(MAKE_C_IDENTIFIER ${name} id)
    file(READ ${f} hex HEX)
    string(LENGTH "${hex}" n)
    math(EXPR bytes "${n} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
    string(APPEND text "const unsigned char embed_${id}[] = {${body}0};\n")
    string(APPEND text "const size_t embed_${id}_len = ${bytes};\n")
endforeach()
file(WRITE ${OUT} "${text}")
