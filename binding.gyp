# node-gyp build of the native addon. Sources, flags and defines come from native/sources.json,
# the list CMakeLists.txt (cmake-js) reads too, so both builders compile the same thing.
{
  "targets": [
    {
      "target_name": "farfan_aggregator",
      "sources": [
        "<!@(node -p \"require('./native/sources.json').sources.join(' ')\")"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "<!@(node -p \"require('./native/sources.json').defines.join(' ')\")",
        "FARFAN_ADDON_VERSION=<!(node -p \"require('./package.json').version\")"
      ],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags": [
        "<!@(node -p \"require('./native/sources.json').cflags.join(' ')\")"
      ],
      "cflags_cc": [
        "<!@(node -p \"require('./native/sources.json').cflags.join(' ')\")"
      ],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "11.0",
        "OTHER_CFLAGS": [
          "<!@(node -p \"require('./native/sources.json').cflags.join(' ')\")"
        ]
      }
    }
  ]
}
