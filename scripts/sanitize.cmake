# Included after project() by `npm run test:sanitize` (CMAKE_PROJECT_INCLUDE), so the addon's own
# CMakeLists.txt builds unchanged with ASan and UBSan on top (cmake-js owns CMAKE_CXX_FLAGS).
# -fno-sanitize-recover makes every UBSan finding abort, so it fails the run instead of scrolling by.
add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
add_link_options(-fsanitize=address,undefined)
