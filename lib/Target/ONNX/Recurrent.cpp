//===- Recurrent.cpp - ONNX import: recurrent layers ---------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Imports RNN, GRU and LSTM, unrolled over the static sequence. Importer.h
// has the shared builder state; ImportONNX.cpp dispatches the nodes
// (Importer::importNode).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace kiln::onnx_import;

FailureOr<Value> Importer::recurrentDirection(
    llvm::StringRef op, Value x, Value w, Value r, Value bias, Value h0,
    Value c0, Value peep, int64_t H, bool reverse, bool linearBeforeReset,
    std::optional<float> clip, Value &hLast, Value &cLast) {
  Shape xs = shapeOf(x); // [B, T, I]
  int64_t B = xs[0], T = xs[1], I = xs[2];
  int64_t G = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
  Value wb = bias ? sliceAxis(bias, 0, 0, G * H) : splatF32({G * H}, 0.0f);
  Value rb = bias ? sliceAxis(bias, 0, G * H, G * H) : splatF32({G * H}, 0.0f);
  auto block = [&](Value v, int64_t k) { return sliceAxis(v, 1, k * H, H); };
  auto clipped = [&](Value v) -> Value {
    if (!clip)
      return v;
    Value hi = scalarF32(*clip), lo = scalarF32(-*clip);
    return b.create<nn::MinimumOp>(loc, b.create<nn::MaximumOp>(loc, v, lo),
                                   hi);
  };
  Value wt = transpose(w, {1, 0}); // [I, G*H]
  Value rt = transpose(r, {1, 0}); // [H, G*H]
  Value h = h0 ? h0 : splatF32({B, H}, 0.0f);
  Value c = c0 ? c0 : splatF32({B, H}, 0.0f);
  SmallVector<Value> steps(T);
  for (int64_t k = 0; k < T; ++k) {
    int64_t t = reverse ? T - 1 - k : k;
    Value xt = reshape(slice(x, {0, t, 0}, {B, 1, I}), {B, I});
    Value xw = add(matmul(xt, wt), wb); // [B, G*H]
    if (op == "LSTM") {
      Value a = add(xw, add(matmul(h, rt), rb));
      // ONNX gate order: i, o, f, c.
      Value gi = block(a, 0), go = block(a, 1), gf = block(a, 2),
            gc = block(a, 3);
      if (peep) {
        gi = add(gi, mul(sliceAxis(peep, 0, 0, H), c));
        gf = add(gf, mul(sliceAxis(peep, 0, 2 * H, H), c));
      }
      Value i = sigmoid(clipped(gi)), f = sigmoid(clipped(gf));
      Value g = tanh(clipped(gc));
      c = add(mul(f, c), mul(i, g));
      if (peep)
        go = add(go, mul(sliceAxis(peep, 0, H, H), c));
      Value o = sigmoid(clipped(go));
      h = mul(o, tanh(c));
    } else if (op == "GRU") {
      // ONNX gate order: z, r, h.
      Value hr = matmul(h, rt); // [B, 3H], without the bias
      Value z = sigmoid(clipped(
          add(block(xw, 0), add(block(hr, 0), sliceAxis(rb, 0, 0, H)))));
      Value rg = sigmoid(clipped(
          add(block(xw, 1), add(block(hr, 1), sliceAxis(rb, 0, H, H)))));
      Value rbh = sliceAxis(rb, 0, 2 * H, H);
      Value rh;
      if (linearBeforeReset) {
        rh = mul(rg, add(block(hr, 2), rbh));
      } else {
        Value rth = sliceAxis(rt, 1, 2 * H, H); // [H, H]
        rh = add(matmul(mul(rg, h), rth), rbh);
      }
      Value n = tanh(clipped(add(block(xw, 2), rh)));
      h = add(mul(sub(scalarF32(1.0f), z), n), mul(z, h));
    } else {
      Value a = clipped(add(xw, add(matmul(h, rt), rb)));
      h = op == "RNNRelu" ? Value(b.create<nn::ReluOp>(loc, a)) : tanh(a);
    }
    steps[t] = reshape(h, {B, 1, H});
  }
  hLast = h;
  cLast = c;
  return concat(steps, 1);
}

LogicalResult Importer::importRecurrent(llvm::StringRef op) {
  int64_t G = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
  FailureOr<Value> xv = f32Input(0), wv = failure(), rv = failure();
  if (failed(xv) || failed(wv = f32Input(1)) || failed(rv = f32Input(2)))
    return failure();
  FailureOr<int64_t> layout = attrInt("layout", 0), hs = failure(),
                     lbr = failure(), inputForget = failure();
  FailureOr<std::string> direction = attrString("direction", "forward");
  if (failed(layout) || failed(hs = attrInt("hidden_size", -1)) ||
      failed(lbr = attrInt("linear_before_reset", 0)) ||
      failed(inputForget = attrInt("input_forget", 0)) || failed(direction))
    return failure();
  if (*layout != 0 && *layout != 1) {
    err() << "attribute 'layout' must be 0 or 1, got " << *layout;
    return failure();
  }
  if (*direction != "forward" && *direction != "reverse" &&
      *direction != "bidirectional") {
    err() << "attribute 'direction' must be forward, reverse or "
             "bidirectional, got '"
          << *direction << "'";
    return failure();
  }
  if (*inputForget != 0) {
    err() << "attribute 'input_forget' = 1 is not supported";
    return failure();
  }
  if (attr("activation_alpha") || attr("activation_beta")) {
    err() << "attributes 'activation_alpha' and 'activation_beta' are not "
             "supported";
    return failure();
  }
  std::string kind = op.str();
  if (const onnx::AttributeProto *a = attr("activations")) {
    std::vector<std::string> acts(a->strings().begin(), a->strings().end());
    std::vector<std::string> dflt =
        op == "LSTM"  ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
        : op == "GRU" ? std::vector<std::string>{"Sigmoid", "Tanh"}
                      : std::vector<std::string>{"Tanh"};
    int64_t dirs = *direction == "bidirectional" ? 2 : 1;
    bool ok = acts.size() == dflt.size() * dirs;
    for (size_t i = 0; ok && i < acts.size(); ++i) {
      const std::string &want = dflt[i % dflt.size()];
      if (op == "RNN" && (acts[i] == "Relu" || acts[i] == "Tanh") &&
          acts[i] == acts[0])
        continue;
      ok = acts[i] == want;
    }
    if (!ok) {
      err() << "attribute 'activations' supports only the defaults (and "
               "Relu for RNN)";
      return failure();
    }
    if (op == "RNN" && acts[0] == "Relu")
      kind = "RNNRelu";
  }
  std::optional<float> clip;
  if (attr("clip")) {
    FailureOr<float> cv = attrFloat("clip", 0);
    if (failed(cv))
      return failure();
    if (!(*cv > 0)) {
      err() << "attribute 'clip' must be > 0, got " << *cv;
      return failure();
    }
    clip = *cv;
  }
  Value x = *xv;
  Shape xs = shapeOf(x), ws = shapeOf(*wv), rs = shapeOf(*rv);
  if (xs.size() != 3 || ws.size() != 3 || rs.size() != 3) {
    err() << "expects X, W and R of rank 3, got " << shapeStr(xs) << ", "
          << shapeStr(ws) << " and " << shapeStr(rs);
    return failure();
  }
  if (*layout == 0)
    x = transpose(x, {1, 0, 2});
  Shape bx = shapeOf(x); // [B, T, I]
  int64_t B = bx[0], T = bx[1], I = bx[2];
  int64_t D = *direction == "bidirectional" ? 2 : 1;
  int64_t H = rs[2];
  if (*hs >= 0 && *hs != H) {
    err() << "attribute 'hidden_size' = " << *hs << " but R is "
          << shapeStr(rs);
    return failure();
  }
  if (ws != Shape{D, G * H, I} || rs != Shape{D, G * H, H}) {
    err() << "expects W " << shapeStr({D, G * H, I}) << " and R "
          << shapeStr({D, G * H, H}) << ", got " << shapeStr(ws) << " and "
          << shapeStr(rs);
    return failure();
  }
  if (T < 1) {
    err() << "the sequence length must be >= 1";
    return failure();
  }
  Value bias, h0, c0, peep;
  auto optInput = [&](int i, Shape want, Value &out) -> LogicalResult {
    if (!hasInput(i))
      return success();
    FailureOr<Value> v = f32Input(i);
    if (failed(v))
      return failure();
    if (shapeOf(*v) != want) {
      err() << "input " << i << " must have shape " << shapeStr(want)
            << ", got " << shapeStr(shapeOf(*v));
      return failure();
    }
    out = *v;
    return success();
  };
  Shape stateShape = *layout == 0 ? Shape{D, B, H} : Shape{B, D, H};
  if (failed(optInput(3, {D, 2 * G * H}, bias)) ||
      failed(optInput(5, stateShape, h0)))
    return failure();
  if (op == "LSTM" && (failed(optInput(6, stateShape, c0)) ||
                       failed(optInput(7, {D, 3 * H}, peep))))
    return failure();
  if (hasInput(4)) {
    FailureOr<std::vector<int64_t>> lens = staticInts(4);
    if (failed(lens))
      return failure();
    if ((int64_t)lens->size() != B ||
        llvm::any_of(*lens, [&](int64_t l) { return l != T; })) {
      err() << "input 'sequence_lens' must equal the sequence length " << T
            << " for every batch entry (variable lengths are not supported)";
      return failure();
    }
  }
  auto perDir = [&](Value v, int64_t d, Shape s) -> Value {
    if (!v)
      return v;
    Shape full = shapeOf(v);
    Shape off(full.size(), 0), sz = full;
    int64_t axis = (v == h0 || v == c0) && *layout == 1 ? 1 : 0;
    off[axis] = d;
    sz[axis] = 1;
    return reshape(slice(v, off, sz), s);
  };
  SmallVector<Value> ys, hs2, cs;
  for (int64_t d = 0; d < D; ++d) {
    bool reverse = *direction == "reverse" || d == 1;
    Value wd = perDir(*wv, d, {G * H, I}), rd = perDir(*rv, d, {G * H, H});
    Value bd = perDir(bias, d, {2 * G * H});
    Value hd = perDir(h0, d, {B, H}), cd = perDir(c0, d, {B, H});
    Value pd = perDir(peep, d, {3 * H});
    Value y, hLast, cLast;
    bool nnOp = !reverse && !hd && !cd && !pd && !clip && !wantsOutput(2) &&
                (op != "GRU" || *lbr);
    if (nnOp) {
      // Kiln's layers take PyTorch's gate order: LSTM i, f, g, o (ONNX
      // i, o, f, c), GRU r, z, n (ONNX z, r, h).
      SmallVector<int64_t> order = op == "LSTM"
                                       ? SmallVector<int64_t>{0, 2, 3, 1}
                                   : op == "GRU" ? SmallVector<int64_t>{1, 0, 2}
                                                 : SmallVector<int64_t>{0};
      auto reorder = [&](Value v) {
        SmallVector<Value> parts;
        for (int64_t k : order)
          parts.push_back(sliceAxis(v, 0, k * H, H));
        return concat(parts, 0);
      };
      Value wb = bd ? sliceAxis(bd, 0, 0, G * H) : splatF32({G * H}, 0.0f);
      Value rb = bd ? sliceAxis(bd, 0, G * H, G * H) : splatF32({G * H}, 0.0f);
      Type yt = tensorOf({B, T, H}, f32());
      if (op == "LSTM")
        y = b.create<nn::LSTMOp>(loc, yt, x, reorder(wd), reorder(rd),
                                 reorder(wb), reorder(rb));
      else if (op == "GRU")
        y = b.create<nn::GRUOp>(loc, yt, x, reorder(wd), reorder(rd),
                                reorder(wb), reorder(rb));
      else
        y = b.create<nn::RNNOp>(loc, yt, x, wd, rd, wb, rb,
                                kind == "RNNRelu" ? nn::RNNNonlinearity::relu
                                                  : nn::RNNNonlinearity::tanh);
      hLast = reshape(slice(y, {0, T - 1, 0}, {B, 1, H}), {B, H});
    } else {
      FailureOr<Value> yv =
          recurrentDirection(kind, x, wd, rd, bd, hd, cd, pd, H, reverse,
                             *lbr != 0, clip, hLast, cLast);
      if (failed(yv))
        return failure();
      y = *yv;
    }
    ys.push_back(reshape(y, {B, T, 1, H}));
    hs2.push_back(hLast);
    cs.push_back(cLast);
  }
  // Y: [T, D, B, H] (layout 0) or [B, T, D, H] (layout 1).
  Value y = concat(ys, 2);
  if (*layout == 0)
    y = transpose(y, {1, 2, 0, 3});
  auto stack = [&](ArrayRef<Value> states) {
    SmallVector<Value> parts;
    for (Value s : states)
      parts.push_back(*layout == 0 ? reshape(s, {1, B, H})
                                   : reshape(s, {B, 1, H}));
    return concat(parts, *layout == 0 ? 0 : 1);
  };
  (void)setOutput(0, y);
  (void)setOutput(1, stack(hs2));
  if (op == "LSTM" && wantsOutput(2))
    (void)setOutput(2, stack(cs));
  return success();
}
