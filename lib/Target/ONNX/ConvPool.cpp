//===- ConvPool.cpp - ONNX import: convolution, pooling ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Imports Conv, MaxPool, AveragePool and GlobalAveragePool, and the window
// attributes they share. Importer.h has the shared builder state;
// ImportONNX.cpp dispatches the nodes (Importer::importNode).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

FailureOr<Importer::Window> Importer::windowAttrs(ArrayRef<int64_t> spatial,
                                                  ArrayRef<int64_t> kernel,
                                                  bool ceilMode) {
  size_t nd = spatial.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  FailureOr<std::optional<Shape>> strides = attrInts("strides");
  FailureOr<std::optional<Shape>> dil = failure(), pads = failure();
  FailureOr<std::string> autoPad = attrString("auto_pad", "NOTSET");
  if (failed(strides) || failed(dil = attrInts("dilations")) ||
      failed(pads = attrInts("pads")) || failed(autoPad))
    return failure();
  w.stride = strides->value_or(Shape(nd, 1));
  w.dilation = dil->value_or(Shape(nd, 1));
  if (w.stride.size() != nd || w.dilation.size() != nd) {
    err() << "attributes 'strides' and 'dilations' need " << nd
          << " entries each";
    return failure();
  }
  for (size_t i = 0; i < nd; ++i) {
    if (w.stride[i] < 1 || w.dilation[i] < 1 || w.kernel[i] < 1) {
      err() << "attributes 'kernel_shape', 'strides' and 'dilations' must "
               "be >= 1, got kernel "
            << shapeStr(w.kernel) << ", strides " << shapeStr(w.stride)
            << ", dilations " << shapeStr(w.dilation);
      return failure();
    }
    // Bounded so that the window arithmetic cannot overflow.
    if (w.stride[i] > kMaxWindowAttr || w.dilation[i] > kMaxWindowAttr ||
        w.kernel[i] > kMaxWindowAttr) {
      err() << "attributes 'kernel_shape', 'strides' and 'dilations' must "
               "be at most "
            << kMaxWindowAttr << ", got kernel " << shapeStr(w.kernel)
            << ", strides " << shapeStr(w.stride) << ", dilations "
            << shapeStr(w.dilation);
      return failure();
    }
  }
  w.padBegin.assign(nd, 0);
  w.padEnd.assign(nd, 0);
  if (*autoPad == "NOTSET") {
    if (*pads) {
      if ((*pads)->size() != 2 * nd) {
        err() << "attribute 'pads' needs " << 2 * nd << " entries, got "
              << (*pads)->size();
        return failure();
      }
      for (size_t i = 0; i < nd; ++i) {
        w.padBegin[i] = (**pads)[i];
        w.padEnd[i] = (**pads)[i + nd];
        if (w.padBegin[i] < 0 || w.padEnd[i] < 0) {
          err() << "attribute 'pads' must be >= 0, got " << shapeStr(**pads);
          return failure();
        }
        if (w.padBegin[i] > kMaxWindowAttr || w.padEnd[i] > kMaxWindowAttr) {
          err() << "attribute 'pads' must be at most " << kMaxWindowAttr
                << ", got " << shapeStr(**pads);
          return failure();
        }
      }
    }
  } else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < nd; ++i) {
      int64_t out = (spatial[i] + w.stride[i] - 1) / w.stride[i];
      int64_t total = std::max<int64_t>((out - 1) * w.stride[i] +
                                            (w.kernel[i] - 1) * w.dilation[i] +
                                            1 - spatial[i],
                                        0);
      int64_t small = total / 2, big = total - small;
      w.padBegin[i] = *autoPad == "SAME_UPPER" ? small : big;
      w.padEnd[i] = *autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (*autoPad != "VALID") {
    err() << "attribute 'auto_pad' must be NOTSET, SAME_UPPER, SAME_LOWER or "
             "VALID, got '"
          << *autoPad << "'";
    return failure();
  }
  (void)ceilMode;
  return w;
}

/// Output size of a window op along one dimension (0 if empty).
static int64_t windowOutput(int64_t in, int64_t k, int64_t s, int64_t d,
                            int64_t pb, int64_t pe, bool ceilMode) {
  int64_t span = in + pb + pe - ((k - 1) * d + 1);
  if (span < 0)
    return 0;
  int64_t o = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  // A window must start inside the input or the leading padding.
  if (ceilMode && (o - 1) * s >= in + pb)
    --o;
  return o;
}

LogicalResult Importer::importConv() {
  FailureOr<Value> xv = f32Input(0), wv = failure();
  if (failed(xv) || failed(wv = f32Input(1)))
    return failure();
  Value x = *xv, w = *wv;
  Shape xs = shapeOf(x), ws = shapeOf(w);
  if (xs.size() < 3 || xs.size() > 5 || ws.size() != xs.size()) {
    err() << "supports 1-D, 2-D and 3-D convolutions (input [N, C, L], [N, "
             "C, H, W] or [N, C, D, H, W] and a filter of the same rank), "
             "got input "
          << shapeStr(xs) << " and filter " << shapeStr(ws);
    return failure();
  }
  size_t nd = xs.size() - 2;
  Shape spatial(xs.begin() + 2, xs.end()), kernel(ws.begin() + 2, ws.end());
  FailureOr<std::optional<Shape>> ks = attrInts("kernel_shape");
  FailureOr<int64_t> group = attrInt("group", 1);
  if (failed(ks) || failed(group))
    return failure();
  if (*ks && **ks != kernel) {
    err() << "attribute 'kernel_shape' " << shapeStr(**ks)
          << " differs from the filter's " << shapeStr(kernel);
    return failure();
  }
  if (*group < 1 || xs[1] % *group != 0 || ws[0] % *group != 0 ||
      ws[1] * *group != xs[1]) {
    err() << "attribute 'group' = " << *group << " does not fit input "
          << shapeStr(xs) << " and filter " << shapeStr(ws);
    return failure();
  }
  FailureOr<Window> win = windowAttrs(spatial, kernel, false);
  if (failed(win))
    return failure();
  Shape outSp;
  for (size_t i = 0; i < nd; ++i) {
    int64_t o =
        windowOutput(spatial[i], kernel[i], win->stride[i], win->dilation[i],
                     win->padBegin[i], win->padEnd[i], false);
    if (o < 1) {
      err() << "the output would be empty: input " << shapeStr(xs)
            << ", filter " << shapeStr(ws);
      return failure();
    }
    outSp.push_back(o);
  }
  Value bias;
  if (hasInput(2)) {
    FailureOr<Value> bv = f32Input(2);
    if (failed(bv))
      return failure();
    if (shapeOf(*bv) != Shape{ws[0]}) {
      err() << "bias must have shape " << ws[0] << ", got "
            << shapeStr(shapeOf(*bv));
      return failure();
    }
    bias = *bv;
  }
  if (nd == 3) {
    // 3-D: for each depth tap kd, the depth slices that tap reads, batched
    // as [N * OD, C, H, W], convolved in 2-D with filter[:, :, kd]; the
    // taps are summed.
    Shape pb = win->padBegin, pe = win->padEnd;
    Value xp = padAxis(x, 2, pb[0], pe[0], 0.0f);
    Shape padHW = {pb[1], pb[2]};
    if (pb[1] != pe[1] || pb[2] != pe[2]) {
      xp = padAxis(xp, 3, pb[1], pe[1], 0.0f);
      xp = padAxis(xp, 4, pb[2], pe[2], 0.0f);
      padHW = {0, 0};
    }
    Shape ps = shapeOf(xp);
    int64_t N = xs[0], C = xs[1], F = ws[0], OD = outSp[0];
    Value sum;
    for (int64_t kd = 0; kd < kernel[0]; ++kd) {
      Value xk = slice(xp, {0, 0, kd * win->dilation[0], 0, 0},
                       {N, C, OD, ps[3], ps[4]}, {1, 1, win->stride[0], 1, 1});
      xk = reshape(transpose(xk, {0, 2, 1, 3, 4}), {N * OD, C, ps[3], ps[4]});
      Value wk =
          reshape(slice(w, {0, 0, kd, 0, 0}, {F, ws[1], 1, ws[3], ws[4]}),
                  {F, ws[1], ws[3], ws[4]});
      Value yk = b.create<nn::Conv2DOp>(
          loc, xk, wk, Value(), Shape{win->stride[1], win->stride[2]}, padHW,
          Shape{win->dilation[1], win->dilation[2]}, (uint64_t)*group);
      sum = sum ? add(sum, yk) : yk;
    }
    Value y = transpose(reshape(sum, {N, OD, F, outSp[1], outSp[2]}),
                        {0, 2, 1, 3, 4});
    if (bias)
      y = add(y, reshape(bias, {F, 1, 1, 1}));
    return setOutput(0, y);
  }
  // 1-D: a 2-D convolution with a height of 1.
  auto to2D = [&](Shape s, int64_t fill) {
    if (nd == 1)
      s.insert(s.begin(), fill);
    return s;
  };
  if (nd == 1) {
    x = reshape(x, {xs[0], xs[1], 1, xs[2]});
    w = reshape(w, {ws[0], ws[1], 1, ws[2]});
  }
  Shape stride = to2D(win->stride, 1), dil = to2D(win->dilation, 1),
        pb = to2D(win->padBegin, 0), pe = to2D(win->padEnd, 0);
  Shape pad = {0, 0};
  if (pb == pe) {
    pad = pb;
  } else {
    for (int i = 0; i < 2; ++i)
      x = padAxis(x, 2 + i, pb[i], pe[i], 0.0f);
  }
  Value y = b.create<nn::Conv2DOp>(loc, x, w, bias, stride, pad, dil,
                                   (uint64_t)*group);
  if (nd == 1)
    y = reshape(y, {xs[0], ws[0], outSp[0]});
  return setOutput(0, y);
}

LogicalResult Importer::importPool(bool isMax) {
  FailureOr<Value> xv = f32Input(0);
  if (failed(xv))
    return failure();
  Value x = *xv;
  Shape xs = shapeOf(x);
  if (xs.size() < 3) {
    err() << "expects an input [N, C, d1, ...] of rank >= 3, got "
          << shapeStr(xs);
    return failure();
  }
  if (isMax && wantsOutput(1)) {
    err() << "the Indices output is not supported";
    return failure();
  }
  size_t nd = xs.size() - 2;
  Shape spatial(xs.begin() + 2, xs.end());
  FailureOr<std::optional<Shape>> ks = attrInts("kernel_shape");
  FailureOr<int64_t> ceil = attrInt("ceil_mode", 0), cip = failure(),
                     order = failure();
  if (failed(ks) || failed(ceil) ||
      failed(cip = attrInt("count_include_pad", 0)) ||
      failed(order = attrInt("storage_order", 0)))
    return failure();
  if (!*ks) {
    err() << "attribute 'kernel_shape' is required";
    return failure();
  }
  if ((*ks)->size() != nd) {
    err() << "attribute 'kernel_shape' needs " << nd << " entries, got "
          << (*ks)->size();
    return failure();
  }
  if ((*ceil != 0 && *ceil != 1) || (*cip != 0 && *cip != 1) ||
      (*order != 0 && *order != 1)) {
    err() << "attributes 'ceil_mode', 'count_include_pad' and "
             "'storage_order' must be 0 or 1";
    return failure();
  }
  FailureOr<Window> win = windowAttrs(spatial, **ks, *ceil);
  if (failed(win))
    return failure();
  if (!isMax && llvm::any_of(win->dilation, [](int64_t d) { return d != 1; })) {
    err() << "attribute 'dilations' is not supported for AveragePool";
    return failure();
  }
  Shape outSp, endPad;
  for (size_t i = 0; i < nd; ++i) {
    int64_t k = win->kernel[i], s = win->stride[i], d = win->dilation[i];
    int64_t pb = win->padBegin[i], pe = win->padEnd[i];
    if (pb >= (k - 1) * d + 1 || pe >= (k - 1) * d + 1) {
      err() << "attribute 'pads' " << pb << ", " << pe
            << " must be smaller than the kernel extent " << (k - 1) * d + 1;
      return failure();
    }
    int64_t o = windowOutput(spatial[i], k, s, d, pb, pe, *ceil);
    if (o < 1) {
      err() << "the output would be empty: input " << shapeStr(xs)
            << ", kernel " << shapeStr(win->kernel);
      return failure();
    }
    outSp.push_back(o);
    int64_t need = (o - 1) * s + (k - 1) * d + 1;
    endPad.push_back(std::max<int64_t>(need - spatial[i] - pb, pe));
  }
  if (nd > 2 ||
      llvm::any_of(win->dilation, [](int64_t d) { return d != 1; })) {
    FailureOr<Value> y = poolND(x, *win, endPad, outSp, isMax, *cip);
    if (failed(y))
      return failure();
    return setOutput(0, *y);
  }
  auto to2D = [&](Shape s, int64_t fill) {
    if (nd == 1)
      s.insert(s.begin(), fill);
    return s;
  };
  if (nd == 1)
    x = reshape(x, {xs[0], xs[1], 1, xs[2]});
  Shape k2 = to2D(win->kernel, 1), s2 = to2D(win->stride, 1),
        pb2 = to2D(win->padBegin, 0), pe2 = to2D(endPad, 0),
        in2 = to2D(spatial, 1), o2 = to2D(outSp, 1);
  Value y;
  bool symmetric = pb2 == pe2 && pb2[0] <= k2[0] / 2 && pb2[1] <= k2[1] / 2;
  auto strideAttr = b.getDenseI64ArrayAttr(s2);
  if (isMax) {
    if (symmetric) {
      y = b.create<nn::MaxPool2DOp>(loc, x, k2, strideAttr, pb2);
    } else {
      float ninf = -std::numeric_limits<float>::infinity();
      for (int i = 0; i < 2; ++i)
        x = padAxis(x, 2 + i, pb2[i], pe2[i], ninf);
      y = b.create<nn::MaxPool2DOp>(loc, x, k2, strideAttr, Shape{0, 0});
    }
  } else {
    // Divisor of each output element: the positions of its window that
    // count (inside the input, plus the explicit padding with
    // count_include_pad); nn.avg_pool2d divides by the kernel size.
    Shape peE = to2D(win->padEnd, 0);
    FailureOr<SmallVector<Shape>> counts =
        avgPoolCounts(in2, o2, k2, s2, pb2, peE, *cip);
    if (failed(counts))
      return failure();
    int64_t kk = k2[0] * k2[1];
    bool uniform = true;
    for (int i = 0; i < 2; ++i)
      uniform &= llvm::all_of((*counts)[i],
                              [&](int64_t c) { return c == k2[i]; });
    SmallVector<float> scale;
    if (!uniform)
      for (int64_t ch : (*counts)[0])
        for (int64_t cw : (*counts)[1])
          scale.push_back((float)kk / (float)std::max<int64_t>(ch * cw, 1));
    if (uniform && symmetric) {
      y = b.create<nn::AvgPool2DOp>(loc, x, k2, strideAttr, pb2);
    } else {
      for (int i = 0; i < 2; ++i)
        x = padAxis(x, 2 + i, pb2[i], pe2[i], 0.0f);
      y = b.create<nn::AvgPool2DOp>(loc, x, k2, strideAttr, Shape{0, 0});
      if (!uniform)
        y = mul(y, constF32({o2[0], o2[1]}, scale));
    }
  }
  if (nd == 1)
    y = reshape(y, {xs[0], xs[1], outSp[0]});
  return setOutput(0, y);
}

/// How many taps of the window at output position `o` along one axis count
/// for an average: those inside the input [0, in), or with
/// count_include_pad inside the explicitly padded input [-pb, in + pe).
/// (Average pooling has no dilation: the window is [o*s - pb, o*s - pb + k).)
static int64_t windowCount(int64_t o, int64_t k, int64_t s, int64_t pb,
                           int64_t pe, int64_t in, bool countPad) {
  int64_t start = o * s - pb;
  int64_t lo = countPad ? -pb : 0, hi = countPad ? in + pe : in;
  return std::max<int64_t>(0, std::min(hi, start + k) - std::max(lo, start));
}

/// The most divisors of an average pooling the importer makes a constant
/// (nn.constant's limit, constraint constant_c1).
static constexpr int64_t kMaxPoolDivisors = int64_t(1) << 24;

/// The counting taps (windowCount) of every output position along each
/// spatial axis. The divisor of an output element is the product over the
/// axes. An axis longer than kMaxPoolDivisors whose first and last windows
/// lie inside the counted range (then all do) gets a list of one entry, its
/// kernel size; otherwise such an axis, or more than kMaxPoolDivisors
/// output positions with unequal divisors, is an error: the divisors would
/// be too large a constant.
FailureOr<SmallVector<Shape>> Importer::avgPoolCounts(
    ArrayRef<int64_t> in, ArrayRef<int64_t> out, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> stride, ArrayRef<int64_t> padBegin,
    ArrayRef<int64_t> padEnd, bool countPad) {
  SmallVector<Shape> counts(in.size());
  bool uniform = true;
  int64_t positions = 1;
  for (size_t i = 0; i < in.size(); ++i) {
    auto count = [&](int64_t o) {
      return windowCount(o, kernel[i], stride[i], padBegin[i], padEnd[i],
                         in[i], countPad);
    };
    if (out[i] > kMaxPoolDivisors) {
      if (count(0) == kernel[i] && count(out[i] - 1) == kernel[i]) {
        counts[i].push_back(kernel[i]);
        positions = kMaxPoolDivisors + 1;
        continue;
      }
      err() << "the output has " << out[i] << " positions along one axis "
            << "and not all windows are inside the input: the divisors of "
            << "the average would be a constant of more than "
            << kMaxPoolDivisors << " elements";
      return failure();
    }
    for (int64_t o = 0; o < out[i]; ++o)
      counts[i].push_back(count(o));
    uniform &= llvm::all_equal(counts[i]);
    positions = std::min(positions * (int64_t)counts[i].size(),
                         kMaxPoolDivisors + 1);
  }
  if (!uniform && positions > kMaxPoolDivisors) {
    err() << "the output " << shapeStr(out) << " has more than "
          << kMaxPoolDivisors << " positions with unequal divisors: the "
          << "divisors of the average would be too large a constant";
    return failure();
  }
  return counts;
}

FailureOr<Value> Importer::poolND(Value x, const Window &win,
                                  ArrayRef<int64_t> endPad,
                                  ArrayRef<int64_t> out, bool isMax,
                                  bool countPad) {
  // Pooling over any number of spatial dimensions, separably: one axis
  // after the other, the maximum or sum of one strided slice of the padded
  // input per kernel tap of that axis (sum(K_i) slices, not prod(K_i)).
  Shape xs = shapeOf(x);
  size_t nd = xs.size() - 2;
  float fill = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
  for (size_t i = 0; i < nd; ++i)
    x = padAxis(x, 2 + i, win.padBegin[i], endPad[i], fill);
  Value y = x;
  for (size_t i = 0; i < nd; ++i) {
    Shape sizes = shapeOf(y), strides(sizes.size(), 1);
    sizes[2 + i] = out[i];
    strides[2 + i] = win.stride[i];
    Value acc;
    for (int64_t k = 0; k < win.kernel[i]; ++k) {
      Shape off(sizes.size(), 0);
      off[2 + i] = k * win.dilation[i];
      Value v = slice(y, off, sizes, strides);
      acc = !acc    ? v
            : isMax ? Value(b.create<nn::MaximumOp>(loc, acc, v))
                    : add(acc, v);
    }
    y = acc;
  }
  if (isMax)
    return y;
  // Divisors: the window positions inside the input (and inside the
  // explicit padding with count_include_pad), a product over the axes.
  FailureOr<SmallVector<Shape>> counts =
      avgPoolCounts(Shape(xs.begin() + 2, xs.end()), out, win.kernel,
                    win.stride, win.padBegin, win.padEnd, countPad);
  if (failed(counts))
    return failure();
  if (llvm::all_of(*counts,
                   [](const Shape &c) { return llvm::all_equal(c); })) {
    int64_t count = 1;
    for (const Shape &c : *counts)
      count *= c.front();
    return mul(y, scalarF32(1.0f / (float)std::max<int64_t>(count, 1)));
  }
  // Row-major over the output positions: counts[i] has out[i] entries.
  SmallVector<int64_t> prod(1, 1);
  for (const Shape &c : *counts) {
    SmallVector<int64_t> next;
    for (int64_t p : prod)
      for (int64_t k : c)
        next.push_back(p * k);
    prod = std::move(next);
  }
  SmallVector<float> inv;
  for (int64_t count : prod)
    inv.push_back(1.0f / (float)std::max<int64_t>(count, 1));
  return mul(y, constF32(out, inv));
}

LogicalResult Importer::importGlobalAveragePool() {
  FailureOr<Value> x = f32Input(0);
  if (failed(x))
    return failure();
  Shape s = shapeOf(*x);
  if (s.size() < 3) {
    err() << "expects an input [N, C, ...] of rank >= 3, got " << shapeStr(s);
    return failure();
  }
  if (s.size() == 4 && s[2] > 0 && s[3] > 0)
    return setOutput(
        0, reshape(b.create<nn::GlobalAvgPoolOp>(loc, *x), {s[0], s[1], 1, 1}));
  Shape axes;
  for (size_t i = 2; i < s.size(); ++i)
    axes.push_back(i);
  return setOutput(0, b.create<nn::ReduceMeanOp>(loc, *x, axes, true));
}
