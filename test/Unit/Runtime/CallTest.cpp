//===- CallTest.cpp - Tests of descriptors and kiln_call_entry ------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

using namespace kiln_test;

namespace {

/// The MLIR ranked descriptor as C++ sees it, for comparison.
template <int Rank> struct MemRef {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
};
struct MemRef0 {
  void *allocated;
  void *aligned;
  int64_t offset;
};

TEST(DescriptorTest, SizeAndLayout) {
  EXPECT_EQ(kiln_memref_desc_size(0), sizeof(MemRef0));
  EXPECT_EQ(kiln_memref_desc_size(1), sizeof(MemRef<1>));
  EXPECT_EQ(kiln_memref_desc_size(3), sizeof(MemRef<3>));
  EXPECT_EQ(kiln_memref_desc_size(8), sizeof(MemRef<8>));

  kiln_tensor_t t = makeTensor(KILN_F32, {2, 3, 4});
  MemRef<3> d;
  memset(&d, 0xAB, sizeof(d));
  kiln_memref_desc_fill(&d, &t);
  EXPECT_EQ(d.allocated, t.data);
  EXPECT_EQ(d.aligned, t.data);
  EXPECT_EQ(d.offset, 0);
  EXPECT_EQ(d.sizes[0], 2);
  EXPECT_EQ(d.sizes[1], 3);
  EXPECT_EQ(d.sizes[2], 4);
  EXPECT_EQ(d.strides[0], 12);
  EXPECT_EQ(d.strides[1], 4);
  EXPECT_EQ(d.strides[2], 1);
  kiln_tensor_free(&t);

  // Rank 0 writes exactly three words.
  t = makeTensor(KILN_I64, {});
  int64_t words[4] = {-1, -1, -1, -1};
  kiln_memref_desc_fill(words, &t);
  EXPECT_EQ(reinterpret_cast<void *>(words[0]), t.data);
  EXPECT_EQ(reinterpret_cast<void *>(words[1]), t.data);
  EXPECT_EQ(words[2], 0);
  EXPECT_EQ(words[3], -1);
  kiln_tensor_free(&t);

  // Zero extents keep strides finite.
  t = makeTensor(KILN_F32, {3, 0, 5});
  MemRef<3> z;
  kiln_memref_desc_fill(&z, &t);
  EXPECT_EQ(z.sizes[1], 0);
  EXPECT_EQ(z.strides[0], 5);
  EXPECT_EQ(z.strides[1], 5);
  EXPECT_EQ(z.strides[2], 1);
  kiln_tensor_free(&t);
}

TEST(DescriptorTest, ArgPackMixedRanks) {
  kiln_tensor_t a = makeTensor(KILN_F32, {5});
  kiln_tensor_t b = makeTensor(KILN_I64, {});
  kiln_tensor_t c = makeTensor(KILN_F64, {1, 2, 3, 4, 5, 6, 7, 8});
  kiln_tensor_t *list[] = {&a, &b, &c};
  kiln_arg_pack_t pack;
  char err[256];
  ASSERT_EQ(kiln_arg_pack_build(&pack, list, 3, err, sizeof(err)), KILN_OK);
  ASSERT_EQ(pack.count, 3u);
  EXPECT_EQ(pack.buffer_size, 8u * (5 + 3 + 19));
  const auto *da = static_cast<const MemRef<1> *>(pack.args[0]);
  const auto *db = static_cast<const MemRef0 *>(pack.args[1]);
  const auto *dc = static_cast<const MemRef<8> *>(pack.args[2]);
  for (void *p : {pack.args[0], pack.args[1], pack.args[2]})
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0u);
  EXPECT_EQ(da->aligned, a.data);
  EXPECT_EQ(da->sizes[0], 5);
  EXPECT_EQ(da->strides[0], 1);
  EXPECT_EQ(db->aligned, b.data);
  EXPECT_EQ(dc->aligned, c.data);
  EXPECT_EQ(dc->sizes[7], 8);
  EXPECT_EQ(dc->strides[0], 40320);
  EXPECT_EQ(dc->strides[6], 8);
  EXPECT_EQ(dc->strides[7], 1);
  kiln_arg_pack_free(&pack);
  EXPECT_EQ(pack.args, nullptr);

  kiln_tensor_t empty = {};
  kiln_tensor_t *bad[] = {&a, &empty};
  EXPECT_EQ(kiln_arg_pack_build(&pack, bad, 2, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_STREQ(err, "argument 1: missing tensor");
  kiln_tensor_free(&a);
  kiln_tensor_free(&b);
  kiln_tensor_free(&c);
}

/// A hand-written "compiled" entry: params w (f32 3x2), inputs x (f32 2x3)
/// and n (i64 scalar), output 0 (f32 2x2) = n * (x @ w). Records what it
/// received.
struct Received {
  int calls = 0;
  bool descriptorsOk = false;
} received;

void matmulEntry(void **args) {
  ++received.calls;
  auto *w = static_cast<MemRef<2> *>(args[0]);
  auto *x = static_cast<MemRef<2> *>(args[1]);
  auto *n = static_cast<MemRef0 *>(args[2]);
  auto *out = static_cast<MemRef<2> *>(args[3]);
  received.descriptorsOk =
      w->sizes[0] == 3 && w->sizes[1] == 2 && w->strides[0] == 2 &&
      w->strides[1] == 1 && x->sizes[0] == 2 && x->sizes[1] == 3 &&
      x->strides[0] == 3 && x->strides[1] == 1 && out->sizes[0] == 2 &&
      out->sizes[1] == 2 && out->strides[0] == 2 && out->offset == 0 &&
      n->offset == 0 && w->allocated == w->aligned;
  const float *W = static_cast<float *>(w->aligned);
  const float *X = static_cast<float *>(x->aligned);
  int64_t scale = *static_cast<int64_t *>(n->aligned);
  float *O = static_cast<float *>(out->aligned);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      float acc = 0;
      for (int k = 0; k < 3; ++k)
        acc += X[i * 3 + k] * W[k * 2 + j];
      O[i * 2 + j] = acc * static_cast<float>(scale);
    }
}

class CallEntryTest : public ::testing::Test {
protected:
  void SetUp() override {
    const char *text = "kiln-abi 1\n"
                       "entry mm\n"
                       "param w f32 3x2 init=ones\n"
                       "input x f32 2x3\n"
                       "input n i64 scalar\n"
                       "output 0 f32 2x2\n";
    ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK)
        << err;
    entry = kiln_signature_find_entry(&sig, "mm");
    ASSERT_EQ(kiln_sig_arg_alloc(&entry->params[0], &w, err, sizeof(err)),
              KILN_OK);
    ASSERT_EQ(kiln_sig_arg_init(&entry->params[0], &w, err, sizeof(err)),
              KILN_OK);
    x = makeTensor(KILN_F32, {2, 3});
    for (int i = 0; i < 6; ++i)
      static_cast<float *>(x.data)[i] = static_cast<float>(i);
    n = makeTensor(KILN_I64, {});
    *static_cast<int64_t *>(n.data) = 10;
    out = makeTensor(KILN_F32, {2, 2});
    received = Received();
  }
  void TearDown() override {
    kiln_tensor_free(&w);
    kiln_tensor_free(&x);
    kiln_tensor_free(&n);
    kiln_tensor_free(&out);
    kiln_signature_free(&sig);
  }
  kiln_status_t call(std::vector<kiln_tensor_t *> params,
                     std::vector<kiln_tensor_t *> inputs,
                     std::vector<kiln_tensor_t *> outputs) {
    return kiln_call_entry(entry, matmulEntry, params.data(), params.size(),
                           nullptr, 0, inputs.data(), inputs.size(),
                           outputs.data(), outputs.size(), err, sizeof(err));
  }

  kiln_signature_t sig;
  const kiln_sig_entry_t *entry = nullptr;
  kiln_tensor_t w, x, n, out;
  char err[512] = "";
};

TEST_F(CallEntryTest, CallsWithCorrectDescriptors) {
  ASSERT_EQ(call({&w}, {&x, &n}, {&out}), KILN_OK) << err;
  EXPECT_EQ(received.calls, 1);
  EXPECT_TRUE(received.descriptorsOk);
  const float *o = static_cast<float *>(out.data);
  // x = [[0,1,2],[3,4,5]], w = ones: row sums 3 and 12, times 10.
  EXPECT_EQ(o[0], 30.0f);
  EXPECT_EQ(o[1], 30.0f);
  EXPECT_EQ(o[2], 120.0f);
  EXPECT_EQ(o[3], 120.0f);
}

TEST_F(CallEntryTest, ShapeAndDtypeMismatch) {
  kiln_tensor_t x2 = makeTensor(KILN_F32, {3, 3});
  EXPECT_EQ(call({&w}, {&x2, &n}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "input 'x': expected shape 2x3 f32, got 3x3 f32");
  kiln_tensor_free(&x2);

  kiln_tensor_t x3 = makeTensor(KILN_F64, {2, 3});
  EXPECT_EQ(call({&w}, {&x3, &n}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "input 'x': expected shape 2x3 f32, got 2x3 f64");
  kiln_tensor_free(&x3);

  kiln_tensor_t n2 = makeTensor(KILN_I64, {1});
  EXPECT_EQ(call({&w}, {&x, &n2}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "input 'n': expected shape scalar i64, got 1 i64");
  kiln_tensor_free(&n2);

  kiln_tensor_t o2 = makeTensor(KILN_F32, {2, 2, 1});
  EXPECT_EQ(call({&w}, {&x, &n}, {&o2}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "output '0': expected shape 2x2 f32, got 2x2x1 f32");
  kiln_tensor_free(&o2);

  kiln_tensor_t w2 = makeTensor(KILN_I32, {3, 2});
  EXPECT_EQ(call({&w2}, {&x, &n}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "param 'w': expected shape 3x2 f32, got 3x2 i32");
  kiln_tensor_free(&w2);
  EXPECT_EQ(received.calls, 0);
}

TEST_F(CallEntryTest, MissingAndExtraArguments) {
  EXPECT_EQ(call({&w}, {&x}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "missing input 'n'");
  EXPECT_EQ(call({&w}, {&x, nullptr}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "missing input 'n'");
  EXPECT_EQ(call({}, {&x, &n}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "missing param 'w'");
  EXPECT_EQ(call({&w}, {&x, &n}, {}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "missing output '0'");
  EXPECT_EQ(call({&w}, {&x, &n, &x}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "too many inputs: entry 'mm' takes 2, got 3");
  EXPECT_EQ(call({&w, &w}, {&x, &n}, {&out}), KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "too many params: entry 'mm' takes 1, got 2");
  kiln_tensor_t *extra[] = {&w};
  EXPECT_EQ(kiln_call_entry(entry, matmulEntry, nullptr, 0, extra, 1, nullptr,
                            0, nullptr, 0, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "missing param 'w'");
  kiln_tensor_t *params[] = {&w}, *inputs[] = {&x, &n}, *outputs[] = {&out};
  EXPECT_EQ(kiln_call_entry(entry, matmulEntry, params, 1, extra, 1, inputs, 2,
                            outputs, 1, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "too many states: entry 'mm' takes 0, got 1");
  EXPECT_EQ(received.calls, 0);
  EXPECT_EQ(kiln_call_entry(entry, nullptr, nullptr, 0, nullptr, 0, nullptr, 0,
                            nullptr, 0, err, sizeof(err)),
            KILN_ERR_NOT_FOUND);
  EXPECT_STREQ(err, "entry 'mm' has no function");
}

TEST_F(CallEntryTest, ArgInitErrors) {
  kiln_sig_arg_t arg = entry->params[0];
  arg.init = KILN_INIT_HE_NORMAL;
  arg.fan_in = 0;
  EXPECT_EQ(kiln_sig_arg_init(&arg, &w, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_STREQ(err, "param 'w': cannot apply initializer he_normal "
                    "(fan_in=0, fan_out=0)");
}

} // namespace

namespace {

/// A training-step-shaped entry: param w (f32 2, inout), states m (f32 2)
/// and v (f64 scalar), inputs step (i64 scalar) and g (f32 2), output 0
/// (f32 scalar). Checks that the descriptors arrive in the order params,
/// states, inputs, outputs, and updates w, m and v in place:
/// m = m + g, w = w - step * m, v = v + 1, out = w[0] + w[1].
void stateEntry(void **args) {
  auto *w = static_cast<MemRef<1> *>(args[0]);
  auto *m = static_cast<MemRef<1> *>(args[1]);
  auto *v = static_cast<MemRef0 *>(args[2]);
  auto *step = static_cast<MemRef0 *>(args[3]);
  auto *g = static_cast<MemRef<1> *>(args[4]);
  auto *out = static_cast<MemRef0 *>(args[5]);
  if (w->sizes[0] != 2 || m->sizes[0] != 2 || g->sizes[0] != 2)
    abort();
  float *W = static_cast<float *>(w->aligned);
  float *M = static_cast<float *>(m->aligned);
  const float *G = static_cast<const float *>(g->aligned);
  float s = static_cast<float>(*static_cast<int64_t *>(step->aligned));
  for (int i = 0; i < 2; ++i) {
    M[i] += G[i];
    W[i] -= s * M[i];
  }
  *static_cast<double *>(v->aligned) += 1;
  *static_cast<float *>(out->aligned) = W[0] + W[1];
}

TEST(CallEntryStatesTest, StatesBetweenParamsAndInputsUpdatedInPlace) {
  const char *text = "kiln-abi 1\n"
                     "entry f\n"
                     "entry f_train train=f\n"
                     "param w f32 2 init=ones inout=1\n"
                     "state m f32 2 of=w\n"
                     "state v f64 scalar\n"
                     "input step i64 scalar role=step\n"
                     "input g f32 2\n"
                     "output 0 f32 scalar\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  const kiln_sig_entry_t *e = kiln_signature_find_entry(&sig, "f_train");
  ASSERT_NE(e, nullptr);
  kiln_tensor_t w = makeTensor(KILN_F32, {2}), m = makeTensor(KILN_F32, {2});
  kiln_tensor_t v = makeTensor(KILN_F64, {}), step = makeTensor(KILN_I64, {});
  kiln_tensor_t g = makeTensor(KILN_F32, {2}), out = makeTensor(KILN_F32, {});
  ASSERT_EQ(kiln_sig_arg_init(&e->params[0], &w, err, sizeof(err)), KILN_OK);
  static_cast<float *>(g.data)[0] = 0.5f;
  static_cast<float *>(g.data)[1] = -1.0f;
  kiln_tensor_t *params[] = {&w}, *states[] = {&m, &v}, *inputs[] = {&step, &g},
                *outputs[] = {&out};
  for (int64_t s = 0; s < 3; ++s) {
    *static_cast<int64_t *>(step.data) = s;
    ASSERT_EQ(kiln_call_entry(e, stateEntry, params, 1, states, 2, inputs, 2,
                              outputs, 1, err, sizeof(err)),
              KILN_OK)
        << err;
  }
  // m after the steps: g, 2g, 3g; w = 1 - (0 * g + 1 * 2g + 2 * 3g) = 1 - 8g.
  EXPECT_EQ(static_cast<float *>(m.data)[0], 1.5f);
  EXPECT_EQ(static_cast<float *>(m.data)[1], -3.0f);
  EXPECT_EQ(static_cast<float *>(w.data)[0], -3.0f);
  EXPECT_EQ(static_cast<float *>(w.data)[1], 9.0f);
  EXPECT_EQ(*static_cast<double *>(v.data), 3.0);
  EXPECT_EQ(*static_cast<float *>(out.data), 6.0f);

  // A state of the wrong type is reported by name.
  kiln_tensor_t bad = makeTensor(KILN_F32, {});
  kiln_tensor_t *badStates[] = {&m, &bad};
  EXPECT_EQ(kiln_call_entry(e, stateEntry, params, 1, badStates, 2, inputs, 2,
                            outputs, 1, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "state 'v': expected shape scalar f64, got scalar f32");
  for (kiln_tensor_t *t : {&w, &m, &v, &step, &g, &out, &bad})
    kiln_tensor_free(t);
  kiln_signature_free(&sig);
}

/// An entry with `workspace=64`: takes x f32 [4], writes out f32 [4], and
/// uses 64 bytes of scratch after its outputs, which it checks for size and
/// alignment and uses as a temporary.
void workspaceEntry(void **args) {
  auto *x = static_cast<MemRef<1> *>(args[0]);
  auto *out = static_cast<MemRef<1> *>(args[1]);
  auto *ws = static_cast<MemRef<1> *>(args[2]);
  auto *tmp = static_cast<float *>(ws->aligned);
  bool ok = ws->sizes[0] == 64 && ws->strides[0] == 1 && ws->offset == 0 &&
            reinterpret_cast<uintptr_t>(tmp) % KILN_TENSOR_ALIGNMENT == 0;
  for (int i = 0; i < 4; ++i)
    tmp[i] = static_cast<float *>(x->aligned)[i] * 2;
  for (int i = 0; i < 4; ++i)
    static_cast<float *>(out->aligned)[i] = ok ? tmp[3 - i] : -1;
}

TEST(CallEntryWorkspaceTest, WorkspaceIsPassedLast) {
  const char *text = "kiln-abi 1\n"
                     "entry f workspace=64\n"
                     "input x f32 4\n"
                     "output 0 f32 4\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  const kiln_sig_entry_t *e = kiln_signature_find_entry(&sig, "f");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->workspace, 64u);
  kiln_tensor_t x = makeTensor(KILN_F32, {4}), out = makeTensor(KILN_F32, {4});
  for (int i = 0; i < 4; ++i)
    static_cast<float *>(x.data)[i] = static_cast<float>(i);
  kiln_tensor_t *inputs[] = {&x}, *outputs[] = {&out};
  // Twice: the second call reuses the workspace of the first.
  for (int call = 0; call < 2; ++call) {
    ASSERT_EQ(kiln_call_entry(e, workspaceEntry, nullptr, 0, nullptr, 0,
                              inputs, 1, outputs, 1, err, sizeof(err)),
              KILN_OK)
        << err;
    const float *o = static_cast<const float *>(out.data);
    EXPECT_EQ(o[0], 6.0f);
    EXPECT_EQ(o[3], 0.0f);
  }
  kiln_tensor_t view;
  ASSERT_EQ(kiln_workspace_get(16, &view, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(view.rank, 1);
  EXPECT_EQ(view.shape[0], 16);
  EXPECT_NE(view.data, nullptr);
  kiln_workspace_release();
  for (kiln_tensor_t *t : {&x, &out})
    kiln_tensor_free(t);
  kiln_signature_free(&sig);
}

TEST(MemoryTest, BytesAndFormatting) {
  const char *text = "kiln-abi 1\n"
                     "entry f workspace=1000\n"
                     "param w f32 3x4 init=zeros\n"
                     "input x i64 5\n"
                     "output 0 f64 scalar\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  EXPECT_EQ(kiln_sig_entry_arg_bytes(&sig.entries[0]), 48u + 40u + 8u);
  char buf[32];
  EXPECT_STREQ(kiln_format_bytes(buf, sizeof(buf), 1023), "1023 bytes");
  EXPECT_STREQ(kiln_format_bytes(buf, sizeof(buf), 1536), "1.5 KiB");
  EXPECT_STREQ(kiln_format_bytes(buf, sizeof(buf), 3ull << 30), "3.0 GiB");
  // Whatever this machine has, 2^62 bytes is more, and 1 byte is not.
  uint64_t available = 0;
  if (kiln_memory_available(&available)) {
    EXPECT_EQ(kiln_memory_check("test", 1, "detail", err, sizeof(err)),
              KILN_OK);
    EXPECT_EQ(kiln_memory_check("test", 1ull << 62, "detail", err,
                                sizeof(err)),
              KILN_ERR_NOMEM);
    EXPECT_NE(strstr(err, "test needs 4.0 EiB of memory (detail), but only "),
              nullptr)
        << err;
  }
  kiln_signature_free(&sig);
}

} // namespace
