//===- MemRefCopyTest.cpp - Tests of memrefCopy ---------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include <numeric>

// The symbol MLIR-lowered code calls; deliberately not in the public header.
extern "C" void memrefCopy(int64_t elemSize, kiln_unranked_memref_t *src,
                           kiln_unranked_memref_t *dst);

namespace {

template <int Rank> struct MemRef {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
};

template <int Rank> kiln_unranked_memref_t unranked(MemRef<Rank> &d) {
  return {Rank, &d};
}

TEST(MemRefCopyTest, ContiguousFastPath) {
  std::vector<float> src(24), dst(24, -1.0f);
  std::iota(src.begin(), src.end(), 0.0f);
  MemRef<3> s{src.data(), src.data(), 0, {2, 3, 4}, {12, 4, 1}};
  MemRef<3> d{dst.data(), dst.data(), 0, {2, 3, 4}, {12, 4, 1}};
  auto us = unranked(s), ud = unranked(d);
  memrefCopy(sizeof(float), &us, &ud);
  EXPECT_EQ(src, dst);
}

TEST(MemRefCopyTest, TransposedSource) {
  // src is a 3x4 row-major buffer viewed as its 4x3 transpose.
  std::vector<int32_t> src(12), dst(12, -1);
  std::iota(src.begin(), src.end(), 0);
  MemRef<2> s{src.data(), src.data(), 0, {4, 3}, {1, 4}};
  MemRef<2> d{dst.data(), dst.data(), 0, {4, 3}, {3, 1}};
  auto us = unranked(s), ud = unranked(d);
  memrefCopy(sizeof(int32_t), &us, &ud);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(dst[i * 3 + j], src[j * 4 + i]) << i << "," << j;
}

TEST(MemRefCopyTest, OffsetsAndStridedSubview) {
  // Copy the 2x3 window starting at (1, 2) of a 4x6 f64 matrix into columns
  // 1, 3, 5 of rows 0 and 2 of a destination 3x6 matrix (offset 1,
  // strides {12, 2}).
  std::vector<double> src(24), dst(18, 0.0);
  std::iota(src.begin(), src.end(), 100.0);
  MemRef<2> s{nullptr, src.data(), 1 * 6 + 2, {2, 3}, {6, 1}};
  MemRef<2> d{nullptr, dst.data(), 1, {2, 3}, {12, 2}};
  auto us = unranked(s), ud = unranked(d);
  memrefCopy(sizeof(double), &us, &ud);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(dst[1 + i * 12 + j * 2], src[(1 + i) * 6 + 2 + j]);
  // Untouched elements stay zero.
  int nonzero = 0;
  for (double v : dst)
    nonzero += v != 0.0;
  EXPECT_EQ(nonzero, 6);
}

TEST(MemRefCopyTest, HigherRankStrided) {
  // 4-d copy with a reversed-order destination layout and a size-1 dim.
  const int64_t n0 = 3, n1 = 1, n2 = 4, n3 = 5;
  std::vector<int64_t> src(n0 * n1 * n2 * n3), dst(src.size(), -1);
  std::iota(src.begin(), src.end(), 0);
  MemRef<4> s{
      nullptr, src.data(), 0, {n0, n1, n2, n3}, {n1 * n2 * n3, n2 * n3, n3, 1}};
  // Column-major destination.
  MemRef<4> d{
      nullptr, dst.data(), 0, {n0, n1, n2, n3}, {1, n0, n0 * n1, n0 * n1 * n2}};
  auto us = unranked(s), ud = unranked(d);
  memrefCopy(sizeof(int64_t), &us, &ud);
  for (int64_t a = 0; a < n0; ++a)
    for (int64_t c = 0; c < n2; ++c)
      for (int64_t e = 0; e < n3; ++e)
        EXPECT_EQ(dst[a + c * n0 + e * n0 * n2], src[a * n2 * n3 + c * n3 + e]);
}

TEST(MemRefCopyTest, ContiguousIgnoresUnitDimStrides) {
  std::vector<float> src(6), dst(6, 0.0f);
  std::iota(src.begin(), src.end(), 1.0f);
  MemRef<3> s{nullptr, src.data(), 0, {1, 2, 3}, {999, 3, 1}};
  MemRef<3> d{nullptr, dst.data(), 0, {1, 2, 3}, {6, 3, 1}};
  auto us = unranked(s), ud = unranked(d);
  memrefCopy(sizeof(float), &us, &ud);
  EXPECT_EQ(src, dst);
}

TEST(MemRefCopyTest, RankZeroAndEmpty) {
  double a = 3.25, b = 0;
  struct {
    void *allocated, *aligned;
    int64_t offset;
  } s{&a, &a, 0}, d{&b, &b, 0};
  kiln_unranked_memref_t us{0, &s}, ud{0, &d};
  memrefCopy(sizeof(double), &us, &ud);
  EXPECT_EQ(b, 3.25);

  // A zero-size memref copies nothing (and never dereferences data).
  MemRef<2> es{nullptr, nullptr, 0, {3, 0}, {0, 1}};
  MemRef<2> ed{nullptr, nullptr, 0, {3, 0}, {0, 1}};
  auto ues = unranked(es), ued = unranked(ed);
  memrefCopy(4, &ues, &ued);
}

TEST(MemRefCopyTest, VeryHighRank) {
  // Rank 20 exercises the heap-allocated index path.
  constexpr int R = 20;
  std::vector<int16_t> src(1 << 3), dst(1 << 3, 0);
  std::iota(src.begin(), src.end(), 1);
  struct {
    void *allocated, *aligned;
    int64_t offset, sizes[R], strides[R];
  } s{}, d{};
  s.aligned = src.data();
  d.aligned = dst.data();
  for (int i = 0; i < R; ++i) {
    s.sizes[i] = d.sizes[i] = i >= R - 3 ? 2 : 1;
    s.strides[i] = d.strides[i] = 1;
  }
  // Source row-major, destination transposed over the last three dims.
  s.strides[R - 3] = 4, s.strides[R - 2] = 2, s.strides[R - 1] = 1;
  d.strides[R - 3] = 1, d.strides[R - 2] = 2, d.strides[R - 1] = 4;
  kiln_unranked_memref_t us{R, &s}, ud{R, &d};
  kiln_memref_copy(sizeof(int16_t), &us, &ud);
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 2; ++c)
        EXPECT_EQ(dst[a + 2 * b + 4 * c], src[4 * a + 2 * b + c]);
}

} // namespace
