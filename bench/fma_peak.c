// The machine's single-precision FMA peak: each of THREADS threads runs
// independent fused multiply-adds on 12 vector accumulators (AVX-512 when the
// compiler targets it, AVX2 otherwise) for a fixed count, and the program
// prints GFLOP/s (2 FLOP per lane per FMA). bench/run.py compiles it with
// clang -O2 -march=native and reports Kiln's matmul against it.
//
//   fma_peak THREADS
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#endif

enum { kAccumulators = 12 };
static const long kIterations = 200000000;

static void *run(void *out) {
  vec acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i)
    acc[i] = SET1((float)i);
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  for (long n = 0; n < kIterations; ++n) {
    // Twelve independent chains hide the FMA latency on two pipes.
    for (int i = 0; i < kAccumulators; ++i)
      acc[i] = FMA(acc[i], a, b);
    __asm__ volatile("" : "+v"(a));
  }
  vec sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i)
    sum = ADD(sum, acc[i]);
  STORE((float *)out, sum);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 64) {
    fprintf(stderr, "usage: fma_peak THREADS (1-64)\n");
    return 1;
  }
  pthread_t ids[64];
  float sink[64][LANES];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, run, sink[t]);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  double flop = 2.0 * LANES * kAccumulators * (double)kIterations * threads;
  printf("%.1f\n", flop / seconds / 1e9);
  return sink[0][0] == 12345.0f; // keeps the results alive
}
