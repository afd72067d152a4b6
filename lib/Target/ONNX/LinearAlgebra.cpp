//===- LinearAlgebra.cpp - ONNX import: MatMul and Gemm ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Imports MatMul (batched, broadcast) and Gemm. Importer.h has the shared
// builder state; ImportONNX.cpp dispatches the nodes (Importer::importNode).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

LogicalResult Importer::importMatMul() {
  FailureOr<Value> a = f32Input(0), c = failure();
  if (failed(a) || failed(c = f32Input(1)))
    return failure();
  Shape sa = shapeOf(*a), sb = shapeOf(*c);
  if (sa.empty() || sb.empty()) {
    err() << "operands must have rank >= 1, got " << shapeStr(sa) << " and "
          << shapeStr(sb);
    return failure();
  }
  bool vecA = sa.size() == 1, vecB = sb.size() == 1;
  Value A = *a, B = *c;
  if (vecA) {
    sa = {1, sa[0]};
    A = reshape(A, sa);
  }
  if (vecB) {
    sb = {sb[0], 1};
    B = reshape(B, sb);
  }
  int64_t M = sa[sa.size() - 2], K = sa.back(), K2 = sb[sb.size() - 2],
          N = sb.back();
  if (K != K2) {
    err() << "contracting dimensions differ: " << shapeStr(shapeOf(*a)) << " x "
          << shapeStr(shapeOf(*c));
    return failure();
  }
  Shape batchA(sa.begin(), sa.end() - 2), batchB(sb.begin(), sb.end() - 2);
  std::optional<Shape> batch = broadcastShapes(batchA, batchB);
  if (!batch) {
    err() << "batch dimensions " << shapeStr(batchA) << " and "
          << shapeStr(batchB) << " are not broadcast-compatible";
    return failure();
  }
  Shape out = *batch;
  Value y;
  if (batch->empty()) {
    y = matmul(A, B);
  } else {
    Shape fa = *batch, fb = *batch;
    fa.append({M, K});
    fb.append({K, N});
    A = broadcastTo(A, fa);
    B = broadcastTo(B, fb);
    int64_t nb = numel(*batch);
    y = matmul(reshape(A, {nb, M, K}), reshape(B, {nb, K, N}));
  }
  if (!vecA)
    out.push_back(M);
  if (!vecB)
    out.push_back(N);
  return setOutput(0, reshape(y, out));
}

LogicalResult Importer::importGemm() {
  FailureOr<Value> a = f32Input(0), c = failure();
  if (failed(a) || failed(c = f32Input(1)))
    return failure();
  FailureOr<int64_t> transA = attrInt("transA", 0), transB = failure();
  FailureOr<float> alpha = attrFloat("alpha", 1.0f), beta = failure();
  if (failed(transA) || failed(transB = attrInt("transB", 0)) ||
      failed(alpha) || failed(beta = attrFloat("beta", 1.0f)))
    return failure();
  if (*transA != 0 && *transA != 1) {
    err() << "attribute 'transA' must be 0 or 1, got " << *transA;
    return failure();
  }
  if (*transB != 0 && *transB != 1) {
    err() << "attribute 'transB' must be 0 or 1, got " << *transB;
    return failure();
  }
  if (rankOf(*a) != 2 || rankOf(*c) != 2) {
    err() << "expects A and B of rank 2, got " << shapeStr(shapeOf(*a))
          << " and " << shapeStr(shapeOf(*c));
    return failure();
  }
  Value A = *transA ? transpose(*a, {1, 0}) : *a;
  Value B = *transB ? transpose(*c, {1, 0}) : *c;
  if (shapeOf(A)[1] != shapeOf(B)[0]) {
    err() << "contracting dimensions differ: A' is " << shapeStr(shapeOf(A))
          << " and B' is " << shapeStr(shapeOf(B));
    return failure();
  }
  Value y = matmul(A, B);
  if (*alpha != 1.0f)
    y = mul(y, scalarF32(*alpha));
  if (hasInput(2)) {
    FailureOr<Value> cv = f32Input(2);
    if (failed(cv))
      return failure();
    std::optional<Shape> bs = broadcastShapes(shapeOf(*cv), shapeOf(y));
    if (!bs || *bs != shapeOf(y)) {
      err() << "C of shape " << shapeStr(shapeOf(*cv))
            << " does not broadcast to " << shapeStr(shapeOf(y));
      return failure();
    }
    Value C = *cv;
    if (*beta != 1.0f)
      C = mul(C, scalarF32(*beta));
    y = add(y, C);
  }
  return setOutput(0, y);
}
