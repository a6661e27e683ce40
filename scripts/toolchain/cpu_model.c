/* The x86 CPU model behind __builtin_cpu_init/__builtin_cpu_supports, for prebuilds made with
 * zig (0.11 to 0.14): clang lowers those builtins to reads of __cpu_model and a call of
 * __cpu_indicator_init, which libgcc and LLVM's compiler-rt provide and zig's compiler_rt does
 * not. scripts/zig-build.cjs links it into every x86-64 prebuild; builds with g++
 * or a full clang never see it.
 *
 * Layout and bit numbers are the libgcc/compiler-rt ABI (`struct __processor_model`, enum
 * ProcessorFeatures), checked against the code zig's clang emits for each name below.
 * A feature is reported only when the CPU has it and the OS saves its registers (XCR0), as
 * libgcc and compiler-rt do. Features not listed here read as absent: the safe answer. macOS
 * shows the AVX-512 state in XCR0 only once a thread has used it, so there AVX-512 reads as
 * absent and the AVX2 kernel runs: also safe (compiler-rt trusts Darwin instead, but Darwin
 * before macOS 12.2 could corrupt the AVX-512 mask registers on return from a signal). */
#if defined(__x86_64__)

#include <cpuid.h>

struct farfan_processor_model {
  unsigned int cpu_vendor;
  unsigned int cpu_type;
  unsigned int cpu_subtype;
  unsigned int cpu_features[1];
};

/* The symbol clang's code reads: __cpu_model with the target's C prefix, "_" on Mach-O (a bare
 * "__cpu_model" there would leave clang's ___cpu_model undefined, found by no one). */
#define FARFAN_STRING(x) #x
#define FARFAN_PREFIXED(prefix, name) FARFAN_STRING(prefix) name
__attribute__((visibility("hidden"))) struct farfan_processor_model __cpu_model __asm__(FARFAN_PREFIXED(__USER_LABEL_PREFIX__, "__cpu_model"));

enum {
  F_CMOV = 0, F_MMX = 1, F_POPCNT = 2, F_SSE = 3, F_SSE2 = 4, F_SSE3 = 5, F_SSSE3 = 6,
  F_SSE4_1 = 7, F_SSE4_2 = 8, F_AVX = 9, F_AVX2 = 10, F_FMA = 14, F_AVX512F = 15, F_BMI = 16,
  F_BMI2 = 17, F_AVX512VL = 20, F_AVX512BW = 21, F_AVX512DQ = 22, F_AVX512CD = 23
};

enum { VENDOR_INTEL = 1, VENDOR_AMD = 2, VENDOR_OTHER = 3 };

static unsigned long long xcr0(void) {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((unsigned long long)edx << 32) | eax;
}

#define BIT(word, n) (((word) >> (n)) & 1u)

__attribute__((visibility("hidden"), constructor(101))) int __cpu_indicator_init(void) {
  unsigned int eax, ebx, ecx, edx, features = 0;
  if (__cpu_model.cpu_vendor != 0) return 0;
  unsigned int max_leaf = __get_cpuid_max(0, &ebx);
  if (max_leaf < 1) {
    __cpu_model.cpu_vendor = VENDOR_OTHER;
    return -1;
  }
  unsigned int vendor = ebx == 0x756e6547 ? VENDOR_INTEL /* "Genu" */ : ebx == 0x68747541 ? VENDOR_AMD /* "Auth" */ : VENDOR_OTHER;

  __cpuid(1, eax, ebx, ecx, edx);
  features |= BIT(edx, 15) << F_CMOV | BIT(edx, 23) << F_MMX | BIT(edx, 25) << F_SSE | BIT(edx, 26) << F_SSE2;
  features |= BIT(ecx, 0) << F_SSE3 | BIT(ecx, 9) << F_SSSE3 | BIT(ecx, 19) << F_SSE4_1 | BIT(ecx, 20) << F_SSE4_2 |
              BIT(ecx, 23) << F_POPCNT;
  unsigned long long os = BIT(ecx, 27) ? xcr0() : 0;  /* OSXSAVE: XGETBV may be executed */
  int avx_os = (os & 0x6) == 0x6;                      /* XMM and YMM state */
  int avx512_os = avx_os && (os & 0xe0) == 0xe0;       /* opmask, ZMM0-15 upper halves, ZMM16-31 */
  if (avx_os) features |= BIT(ecx, 28) << F_AVX | BIT(ecx, 12) << F_FMA;

  if (max_leaf >= 7) {
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    features |= BIT(ebx, 3) << F_BMI | BIT(ebx, 8) << F_BMI2;
    if (avx_os) features |= BIT(ebx, 5) << F_AVX2;
    if (avx512_os) {
      features |= BIT(ebx, 16) << F_AVX512F | BIT(ebx, 17) << F_AVX512DQ | BIT(ebx, 28) << F_AVX512CD |
                  BIT(ebx, 30) << F_AVX512BW | BIT(ebx, 31) << F_AVX512VL;
    }
  }
  __cpu_model.cpu_features[0] = features;
  __cpu_model.cpu_vendor = vendor;
  return 0;
}

#endif
