// FARFAN_TARGET_BEGIN("avx2") … FARFAN_TARGET_END: every function defined between them is
// compiled for that ISA (GCC's target pragma; Clang's attribute pragma). The ISA files wrap
// their code in such a region so that the shared SIMD body (simd_rows.h) picks up the ISA.
#pragma once

#define FARFAN_PRAGMA(x) _Pragma(#x)
#if defined(__clang__)
#define FARFAN_TARGET_BEGIN(isa) FARFAN_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define FARFAN_TARGET_END FARFAN_PRAGMA(clang attribute pop)
#else
#define FARFAN_TARGET_BEGIN(isa) FARFAN_PRAGMA(GCC push_options) FARFAN_PRAGMA(GCC target(isa))
#define FARFAN_TARGET_END FARFAN_PRAGMA(GCC pop_options)
#endif
