'use strict';
// The NUL-terminated string at `at` in `bytes` (a Buffer), as the object-file readers
// (scripts/pe.cjs, scripts/macho.cjs) find names.
function cString(bytes, at) {
  const end = bytes.indexOf(0, at);
  return bytes.toString('latin1', at, end < 0 ? bytes.length : end);
}

module.exports = { cString };
