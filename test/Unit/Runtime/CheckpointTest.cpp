//===- CheckpointTest.cpp - Tests of the training checkpoint format -------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include "kiln/Runtime/Checkpoint.h"

#include <cmath>

using namespace kiln_test;

namespace {

/// FNV-1a 64, written independently of the runtime.
uint64_t fnv(const std::string &bytes, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(bytes[i]);
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t readU64(const std::string &b, size_t off) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(b[off + i]);
  return v;
}

void writeU64(std::string &b, size_t off, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    b[off + i] = static_cast<char>(v >> (8 * i));
}

void writeU32(std::string &b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[off + i] = static_cast<char>(v >> (8 * i));
}

/// Recomputes both checksums after a deliberate edit, so that the parser's
/// structural checks (not the checksums) are what rejects the file.
void reseal(std::string &b) {
  writeU64(b, 112, fnv(b, 112));
  writeU64(b, b.size() - 8, fnv(b, b.size() - 8));
}

const char *const TrainSig = "kiln-abi 1\n"
                             "entry m\n"
                             "entry t train=m\n"
                             "param w f32 4x3 init=ones inout=1\n"
                             "param b f64 3 init=zeros inout=1\n"
                             "state w.m f32 4x3 of=w\n"
                             "state n i64 scalar\n"
                             "input x f32 2x4\n"
                             "output 0 f32 scalar\n";

/// A checkpoint of TrainSig's entry t with recognizable contents.
class CheckpointTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(kiln_signature_parse(TrainSig, &sig, err, sizeof(err)), KILN_OK)
        << err;
    entry = kiln_signature_find_entry(&sig, "t");
    w = makeTensor(KILN_F32, {4, 3});
    b = makeTensor(KILN_F64, {3});
    wm = makeTensor(KILN_F32, {4, 3});
    n = makeTensor(KILN_I64, {});
    for (int i = 0; i < 12; ++i) {
      static_cast<float *>(w.data)[i] = 0.5f * static_cast<float>(i) - 2;
      static_cast<float *>(wm.data)[i] = std::ldexp(1.0f, -i);
    }
    for (int i = 0; i < 3; ++i)
      static_cast<double *>(b.data)[i] = 1.0 / (i + 3);
    *static_cast<int64_t *>(n.data) = -42;
    tensors[0] = {KILN_CKPT_PARAM, const_cast<char *>("w"), w};
    tensors[1] = {KILN_CKPT_PARAM, const_cast<char *>("b"), b};
    tensors[2] = {KILN_CKPT_STATE, const_cast<char *>("w.m"), wm};
    tensors[3] = {KILN_CKPT_STATE, const_cast<char *>("n"), n};
    memset(&ck, 0, sizeof(ck));
    ck.flags = KILN_CKPT_SHUFFLE;
    ck.fingerprint = kiln_checkpoint_fingerprint(entry);
    ck.seed = 0xFEDCBA9876543210ull;
    ck.step = 1234;
    ck.epoch = 7;
    ck.batch = 11;
    ck.train_examples = 8000;
    ck.batch_size = 128;
    ck.loss_sum = 3.0517578125e-05 + 1.0 / 3;
    ck.correct = 999;
    ck.counted = 1408;
    ck.num_tensors = 4;
    ck.tensors = tensors;
    path = dir.file("ck");
    ASSERT_EQ(kiln_checkpoint_write(path.c_str(), &ck, err, sizeof(err)),
              KILN_OK)
        << err;
    bytes = readBytes(path);
  }
  void TearDown() override {
    for (kiln_tensor_t *t : {&w, &b, &wm, &n})
      kiln_tensor_free(t);
    kiln_signature_free(&sig);
  }
  /// Parses \p image; on failure returns the message, on success "".
  std::string parse(const std::string &image) {
    kiln_checkpoint_t out;
    char msg[512] = "";
    kiln_status_t st = kiln_checkpoint_read_buffer(
        image.data(), image.size(), "ck", &out, msg, sizeof(msg));
    if (st == KILN_OK) {
      kiln_checkpoint_free(&out);
      return "";
    }
    EXPECT_EQ(out.num_tensors, 0u);
    EXPECT_EQ(out.tensors, nullptr);
    return msg[0] ? msg : "<empty message>";
  }

  TempDir dir;
  std::string path, bytes;
  kiln_signature_t sig;
  const kiln_sig_entry_t *entry = nullptr;
  kiln_tensor_t w, b, wm, n;
  kiln_ckpt_tensor_t tensors[4];
  kiln_checkpoint_t ck;
  char err[512] = "";
};

/// Every header field, name, dtype, shape and data byte survives a round
/// trip through a file.
TEST_F(CheckpointTest, RoundTrip) {
  kiln_checkpoint_t r;
  ASSERT_EQ(kiln_checkpoint_read(path.c_str(), &r, err, sizeof(err)), KILN_OK)
      << err;
  EXPECT_EQ(r.flags, KILN_CKPT_SHUFFLE);
  EXPECT_EQ(r.fingerprint, ck.fingerprint);
  EXPECT_EQ(r.seed, ck.seed);
  EXPECT_EQ(r.step, 1234u);
  EXPECT_EQ(r.epoch, 7u);
  EXPECT_EQ(r.batch, 11u);
  EXPECT_EQ(r.train_examples, 8000u);
  EXPECT_EQ(r.batch_size, 128u);
  EXPECT_EQ(r.loss_sum, ck.loss_sum); // Bit-exact.
  EXPECT_EQ(r.correct, 999u);
  EXPECT_EQ(r.counted, 1408u);
  ASSERT_EQ(r.num_tensors, 4u);
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(tensors[i].name);
    EXPECT_EQ(r.tensors[i].kind, tensors[i].kind);
    EXPECT_STREQ(r.tensors[i].name, tensors[i].name);
    const kiln_tensor_t &a = r.tensors[i].tensor, &e = tensors[i].tensor;
    EXPECT_EQ(a.dtype, e.dtype);
    ASSERT_EQ(a.rank, e.rank);
    for (int d = 0; d < a.rank; ++d)
      EXPECT_EQ(a.shape[d], e.shape[d]);
    ASSERT_EQ(kiln_tensor_nbytes(&a), kiln_tensor_nbytes(&e));
    EXPECT_EQ(memcmp(a.data, e.data, kiln_tensor_nbytes(&a)), 0);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data) % KILN_TENSOR_ALIGNMENT, 0u);
  }
  EXPECT_EQ(kiln_checkpoint_find(&r, KILN_CKPT_STATE, "w.m"), &r.tensors[2]);
  EXPECT_EQ(kiln_checkpoint_find(&r, KILN_CKPT_PARAM, "w.m"), nullptr);
  EXPECT_EQ(kiln_checkpoint_check_model(&r, entry, err, sizeof(err)), KILN_OK)
      << err;
  kiln_checkpoint_free(&r);
  EXPECT_EQ(r.tensors, nullptr);
  kiln_checkpoint_free(&r); // Idempotent.

  // Rewriting what was read gives the same bytes.
  ASSERT_EQ(kiln_checkpoint_read(path.c_str(), &r, err, sizeof(err)), KILN_OK);
  std::string again = dir.file("again");
  ASSERT_EQ(kiln_checkpoint_write(again.c_str(), &r, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(readBytes(again), bytes);
  kiln_checkpoint_free(&r);
}

/// The documented layout, checked byte by byte against an independent
/// FNV-1a implementation.
TEST_F(CheckpointTest, Layout) {
  size_t data = 4 * 12 + 8 * 3 + 4 * 12 + 8;
  size_t records = 4 * 16 + (1 + 1 + 3 + 1) + 8 * (2 + 1 + 2 + 0);
  ASSERT_EQ(bytes.size(), 120 + records + data + 8);
  EXPECT_EQ(bytes.substr(0, 8), "KILNCKPT");
  EXPECT_EQ(readU64(bytes, 8) & 0xffffffffu, 1u); // version
  EXPECT_EQ(readU64(bytes, 8) >> 32, KILN_CKPT_SHUFFLE);
  EXPECT_EQ(readU64(bytes, 16), bytes.size());
  EXPECT_EQ(readU64(bytes, 24), ck.fingerprint);
  EXPECT_EQ(readU64(bytes, 32), ck.seed);
  EXPECT_EQ(readU64(bytes, 40), 1234u);
  EXPECT_EQ(readU64(bytes, 104), 4u); // count, then reserved 0
  EXPECT_EQ(readU64(bytes, 112), fnv(bytes, 112));
  EXPECT_EQ(readU64(bytes, bytes.size() - 8), fnv(bytes, bytes.size() - 8));
  // The first record: kind 0, name "w", dtype f32 (1), rank 2, 4, 3.
  EXPECT_EQ(readU64(bytes, 120), uint64_t{1} << 32);
  EXPECT_EQ(bytes[128], 'w');
  EXPECT_EQ(readU64(bytes, 129), 1u | (uint64_t{2} << 32));
  EXPECT_EQ(readU64(bytes, 137), 4u);
  EXPECT_EQ(readU64(bytes, 145), 3u);
  float first;
  memcpy(&first, bytes.data() + 153, 4);
  EXPECT_EQ(first, -2.0f);
  // No temporary file is left behind.
  EXPECT_TRUE(readBytes(path + ".tmp").empty());
}

TEST(CheckpointHashTest, KnownValues) {
  EXPECT_EQ(kiln_fnv1a64("", 0, KILN_FNV1A64_INIT), 0xcbf29ce484222325ull);
  EXPECT_EQ(kiln_fnv1a64("a", 1, KILN_FNV1A64_INIT), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(kiln_fnv1a64("foobar", 6, KILN_FNV1A64_INIT),
            0x85944171f73967e8ull);
  // Incremental hashing equals hashing the concatenation.
  EXPECT_EQ(kiln_fnv1a64("bar", 3, kiln_fnv1a64("foo", 3, KILN_FNV1A64_INIT)),
            0x85944171f73967e8ull);
}

/// The fingerprint is FNV-1a 64 of the documented text.
TEST_F(CheckpointTest, FingerprintIsHashOfRecords) {
  std::string text = "param w f32 4x3\nparam b f64 3\nstate w.m f32 4x3\n"
                     "state n i64 scalar\n";
  EXPECT_EQ(kiln_checkpoint_fingerprint(entry), fnv(text, text.size()));
  // Inputs, outputs and initializers do not matter; order does.
  kiln_signature_t other;
  const char *same = "kiln-abi 1\nentry t\n"
                     "param w f32 4x3 init=uniform a=-1 b=1\n"
                     "param b f64 3 init=ones\n"
                     "state w.m f32 4x3\n"
                     "state n i64 scalar\n"
                     "input y i64 7\n";
  ASSERT_EQ(kiln_signature_parse(same, &other, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(kiln_checkpoint_fingerprint(&other.entries[0]), ck.fingerprint);
  kiln_signature_free(&other);
  const char *swapped = "kiln-abi 1\nentry t\n"
                        "param b f64 3 init=ones\n"
                        "param w f32 4x3 init=ones\n"
                        "state w.m f32 4x3\n"
                        "state n i64 scalar\n";
  ASSERT_EQ(kiln_signature_parse(swapped, &other, err, sizeof(err)), KILN_OK);
  EXPECT_NE(kiln_checkpoint_fingerprint(&other.entries[0]), ck.fingerprint);
  kiln_signature_free(&other);
}

/// Every proper prefix of the file is reported as truncated.
TEST_F(CheckpointTest, EveryTruncationDetected) {
  for (size_t len = 0; len < bytes.size(); ++len) {
    SCOPED_TRACE(len);
    std::string msg = parse(bytes.substr(0, len));
    EXPECT_NE(msg.find("ck: truncated checkpoint"), std::string::npos) << msg;
  }
  EXPECT_EQ(parse(bytes.substr(0, 100)),
            "ck: truncated checkpoint: 100 bytes, the header alone needs 128");
  EXPECT_EQ(parse(bytes.substr(0, 300)), "ck: truncated checkpoint: expected " +
                                             std::to_string(bytes.size()) +
                                             " bytes, found 300");
}

/// Every single-byte change is detected, by the check that covers it.
TEST_F(CheckpointTest, EveryByteFlipDetected) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80, 0xff}) {
      SCOPED_TRACE(testing::Message() << "byte " << i << " ^ " << int(mask));
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      std::string msg = parse(bad);
      const char *expected =
          i < 8     ? "ck: not a Kiln checkpoint (bad magic)"
          : i < 12  ? "ck: unsupported checkpoint version"
          : i < 120 ? "ck: corrupt checkpoint (header checksum mismatch)"
                    : "ck: corrupt checkpoint (checksum mismatch)";
      EXPECT_EQ(msg.rfind(expected, 0), 0u) << msg;
    }
  }
}

TEST_F(CheckpointTest, TrailingBytesAndVersion) {
  EXPECT_EQ(parse(bytes + "abc"),
            "ck: corrupt checkpoint: 3 bytes after the end (expected " +
                std::to_string(bytes.size()) + " bytes, found " +
                std::to_string(bytes.size() + 3) + ")");
  std::string v2 = bytes;
  writeU32(v2, 8, 2);
  reseal(v2);
  EXPECT_EQ(parse(v2), "ck: unsupported checkpoint version 2 (this runtime "
                       "reads version 1)");
  EXPECT_EQ(parse("KILNCKP"), "ck: truncated checkpoint: 7 bytes, the header "
                              "alone needs 128");
  EXPECT_EQ(parse("\x93NUMPY"), "ck: not a Kiln checkpoint (bad magic)");
}

/// Files with valid checksums but an impossible structure (a writer bug or
/// a crafted file) are rejected without crashing or over-allocating.
TEST_F(CheckpointTest, StructuralCorruption) {
  struct Edit {
    size_t offset;
    int width; // 4 or 8
    uint64_t value;
    const char *message;
  };
  const size_t rec1 = 120 + 8 + 1 + 8 + 16 + 48; // second record ("b")
  const Edit edits[] = {
      {104, 4, 1000000, "1000000 tensors cannot fit"},
      {104, 4, 5, "tensor 4 extends past the end"},
      {104, 4, 3, "unused bytes after the tensors"},
      {108, 4, 1, "reserved header field is not 0"},
      {120, 4, 3, "tensor 0 has bad kind 3"},
      {124, 4, 0, "tensor 0 has a bad name length 0"},
      {124, 4, 5000, "tensor 0 has a bad name length 5000"},
      {129, 4, 0, "param 'w' has bad dtype 0 or rank 2"},
      {129, 4, 5, "param 'w' has bad dtype 5 or rank 2"},
      {133, 4, 9, "param 'w' has bad dtype 1 or rank 9"},
      {137, 8, uint64_t{1} << 62, "param 'w' extends past the end"},
      {137, 8, ~uint64_t{0}, "param 'w' has a bad extent"},
      {145, 8, 300, "param 'w' extends past the end"},
      {rec1 + 8, 1, 'w', "duplicate param 'w'"},
  };
  for (const Edit &e : edits) {
    SCOPED_TRACE(e.message);
    std::string bad = bytes;
    if (e.width == 8)
      writeU64(bad, e.offset, e.value);
    else if (e.width == 4)
      writeU32(bad, e.offset, static_cast<uint32_t>(e.value));
    else
      bad[e.offset] = static_cast<char>(e.value);
    reseal(bad);
    std::string msg = parse(bad);
    EXPECT_EQ(msg.rfind("ck: corrupt checkpoint: ", 0), 0u) << msg;
    EXPECT_NE(msg.find(e.message), std::string::npos) << msg;
  }
}

/// A checkpoint from another model is rejected naming the first difference.
TEST_F(CheckpointTest, ModelMismatch) {
  struct Case {
    const char *sig;
    const char *message;
  };
  const Case cases[] = {
      {"param w f32 4x2 init=ones\nparam b f64 3 init=ones\nstate w.m f32 "
       "4x3\nstate n i64 scalar\n",
       "checkpoint is for a different model: param 'w' is 4x2 f32 here, 4x3 "
       "f32 in the checkpoint"},
      {"param w f32 4x3 init=ones\nparam b f32 3 init=ones\nstate w.m f32 "
       "4x3\nstate n i64 scalar\n",
       "param 'b' is 3 f32 here, 3 f64 in the checkpoint"},
      {"param w f32 4x3 init=ones\nparam b f64 3 init=ones\nparam c f32 1 "
       "init=ones\nstate w.m f32 4x3\nstate n i64 scalar\n",
       "checkpoint is for a different model: param 'c' is missing from the "
       "checkpoint"},
      {"param w f32 4x3 init=ones\nparam b f64 3 init=ones\nstate w.m f32 "
       "4x3\n",
       "checkpoint is for a different model: the checkpoint has a state 'n' "
       "that this model does not have"},
      {"param w f32 4x3 init=ones\nparam b f64 3 init=ones\nparam n i64 "
       "scalar init=ones\nstate w.m f32 4x3\n",
       "param 'n' is missing from the checkpoint"},
      {"param b f64 3 init=ones\nparam w f32 4x3 init=ones\nstate w.m f32 "
       "4x3\nstate n i64 scalar\n",
       "checkpoint is for a different model: fingerprint mismatch"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.sig);
    kiln_signature_t other;
    std::string text = std::string("kiln-abi 1\nentry t\n") + c.sig;
    ASSERT_EQ(kiln_signature_parse(text.c_str(), &other, err, sizeof(err)),
              KILN_OK)
        << err;
    EXPECT_EQ(
        kiln_checkpoint_check_model(&ck, &other.entries[0], err, sizeof(err)),
        KILN_ERR_MISMATCH);
    EXPECT_NE(std::string(err).find(c.message), std::string::npos) << err;
    kiln_signature_free(&other);
  }
}

/// A failed write leaves an existing checkpoint untouched.
TEST_F(CheckpointTest, AtomicWrite) {
  // <path>.tmp cannot be created: it is a directory.
  ASSERT_EQ(mkdir((path + ".tmp").c_str(), 0777), 0);
  ck.step = 99;
  EXPECT_EQ(kiln_checkpoint_write(path.c_str(), &ck, err, sizeof(err)),
            KILN_ERR_IO);
  EXPECT_EQ(std::string(err).rfind(
                path + ": cannot open '" + path + ".tmp' for writing: ", 0),
            0u)
      << err;
  EXPECT_EQ(readBytes(path), bytes);
  rmdir((path + ".tmp").c_str());

  std::string missing = dir.file("no/such/dir/ck");
  EXPECT_EQ(kiln_checkpoint_write(missing.c_str(), &ck, err, sizeof(err)),
            KILN_ERR_IO);
  EXPECT_NE(std::string(err).find("No such file or directory"),
            std::string::npos)
      << err;

  // Overwriting replaces the whole file.
  ASSERT_EQ(kiln_checkpoint_write(path.c_str(), &ck, err, sizeof(err)),
            KILN_OK);
  kiln_checkpoint_t r;
  ASSERT_EQ(kiln_checkpoint_read(path.c_str(), &r, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(r.step, 99u);
  kiln_checkpoint_free(&r);
}

TEST_F(CheckpointTest, WriteRejectsBadTensors) {
  kiln_ckpt_tensor_t list[2] = {tensors[0], tensors[0]};
  kiln_checkpoint_t bad = ck;
  bad.tensors = list;
  bad.num_tensors = 2;
  std::string out = dir.file("bad");
  EXPECT_EQ(kiln_checkpoint_write(out.c_str(), &bad, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_STREQ(err, "checkpoint: duplicate param 'w'");
  list[1].kind = KILN_CKPT_STATE; // Same name, other kind: allowed.
  EXPECT_EQ(kiln_checkpoint_write(out.c_str(), &bad, err, sizeof(err)), KILN_OK)
      << err;
  list[1].name = const_cast<char *>("");
  EXPECT_EQ(kiln_checkpoint_write(out.c_str(), &bad, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  list[1].name = const_cast<char *>("v");
  list[1].tensor.data = nullptr;
  EXPECT_EQ(kiln_checkpoint_write(out.c_str(), &bad, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  EXPECT_STREQ(err, "checkpoint: state 'v': invalid tensor");
  EXPECT_EQ(kiln_checkpoint_write(nullptr, &ck, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
}

TEST_F(CheckpointTest, ReadFileErrors) {
  kiln_checkpoint_t r;
  std::string missing = dir.file("missing");
  EXPECT_EQ(kiln_checkpoint_read(missing.c_str(), &r, err, sizeof(err)),
            KILN_ERR_IO);
  EXPECT_EQ(std::string(err), missing + ": cannot open: No such file or "
                                        "directory");
  EXPECT_EQ(kiln_checkpoint_read(dir.path.c_str(), &r, err, sizeof(err)),
            KILN_ERR_IO);
  EXPECT_EQ(std::string(err), dir.path + ": not a regular file");
  std::string cut = dir.file("cut");
  writeBytes(cut, bytes.substr(0, bytes.size() - 1));
  EXPECT_EQ(kiln_checkpoint_read(cut.c_str(), &r, err, sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_EQ(std::string(err).rfind(cut + ": truncated checkpoint", 0), 0u)
      << err;
  // A large file that is not a checkpoint is rejected from its header.
  std::string big = dir.file("big");
  writeBytes(big, std::string(1 << 20, 'x'));
  EXPECT_EQ(kiln_checkpoint_read(big.c_str(), &r, err, sizeof(err)),
            KILN_ERR_FORMAT);
  EXPECT_EQ(std::string(err), big + ": not a Kiln checkpoint (bad magic)");
}

} // namespace

namespace {

/// The fingerprint of several phases: FNV-1a 64 of "phases N\n", then per
/// phase "phase NAME\n" and its lines; one phase is the single-phase
/// fingerprint (so old checkpoints still load).
TEST(CheckpointPhasesTest, FingerprintOfPhases) {
  const char *text = "kiln-abi 1\n"
                     "entry e\nparam w f32 2 init=ones\nparam v f32 3 "
                     "init=ones\ninput x f32 1\noutput 0 f32 scalar\n"
                     "entry d train=e phase=disc\nparam w f32 2 init=ones "
                     "inout=1\nparam v f32 3 init=ones\nstate w.m f32 2 "
                     "of=w\ninput x f32 1\noutput 0 f32 scalar\n"
                     "entry g train=e phase=gen\nparam w f32 2 init=ones\n"
                     "param v f32 3 init=ones inout=1\nstate v.m f32 3 of=v\n"
                     "input x f32 1\noutput 0 f32 scalar\n";
  kiln_signature_t sig;
  char err[512] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK)
      << err;
  const kiln_sig_entry_t *phases[2] = {&sig.entries[1], &sig.entries[2]};
  EXPECT_EQ(kiln_checkpoint_fingerprint_phases(phases, 1),
            kiln_checkpoint_fingerprint(phases[0]));
  std::string want = "phases 2\nphase disc\nparam w f32 2\nparam v f32 3\n"
                     "state w.m f32 2\nphase gen\nparam w f32 2\nparam v f32 "
                     "3\nstate v.m f32 3\n";
  EXPECT_EQ(kiln_checkpoint_fingerprint_phases(phases, 2),
            kiln_fnv1a64(want.data(), want.size(), KILN_FNV1A64_INIT));
  const kiln_sig_entry_t *swapped[2] = {phases[1], phases[0]};
  EXPECT_NE(kiln_checkpoint_fingerprint_phases(swapped, 2),
            kiln_checkpoint_fingerprint_phases(phases, 2));

  // A checkpoint of both phases, with a running sum (ignored by the model
  // check), round trips and matches only the two-phase model.
  float w[2] = {1, 2}, v[3] = {3, 4, 5}, wm[2] = {0, 0}, vm[3] = {0, 0, 0};
  double sum = 7.5;
  kiln_ckpt_tensor_t tensors[5] = {
      {KILN_CKPT_PARAM, const_cast<char *>("w"), {}},
      {KILN_CKPT_PARAM, const_cast<char *>("v"), {}},
      {KILN_CKPT_STATE, const_cast<char *>("w.m"), {}},
      {KILN_CKPT_STATE, const_cast<char *>("v.m"), {}},
      {KILN_CKPT_SUM, const_cast<char *>("loss_gen"), {}}};
  void *data[5] = {w, v, wm, vm, &sum};
  int64_t sizes[5] = {2, 3, 2, 3, 0};
  for (int i = 0; i < 5; ++i) {
    tensors[i].tensor.dtype = i == 4 ? KILN_F64 : KILN_F32;
    tensors[i].tensor.rank = i == 4 ? 0 : 1;
    tensors[i].tensor.shape[0] = sizes[i];
    tensors[i].tensor.numel = i == 4 ? 1 : sizes[i];
    tensors[i].tensor.data = data[i];
  }
  kiln_checkpoint_t ck = {};
  ck.fingerprint = kiln_checkpoint_fingerprint_phases(phases, 2);
  ck.num_tensors = 5;
  ck.tensors = tensors;
  TempDir dir;
  std::string path = dir.file("ck");
  ASSERT_EQ(kiln_checkpoint_write(path.c_str(), &ck, err, sizeof(err)),
            KILN_OK)
      << err;
  kiln_checkpoint_t back;
  ASSERT_EQ(kiln_checkpoint_read(path.c_str(), &back, err, sizeof(err)),
            KILN_OK)
      << err;
  const kiln_ckpt_tensor_t *s = kiln_checkpoint_find(&back, KILN_CKPT_SUM,
                                                     "loss_gen");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(*static_cast<double *>(s->tensor.data), 7.5);
  EXPECT_EQ(kiln_checkpoint_check_phases(&back, phases, 2, err, sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(kiln_checkpoint_check_phases(&back, swapped, 2, err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "checkpoint is for a different model: fingerprint "
                    "mismatch (the params or states are in a different order, "
                    "or the phases differ)");
  EXPECT_EQ(kiln_checkpoint_check_model(&back, phases[0], err, sizeof(err)),
            KILN_ERR_MISMATCH);
  EXPECT_STREQ(err, "checkpoint is for a different model: the checkpoint has "
                    "a state 'v.m' that this model does not have");
  EXPECT_EQ(kiln_checkpoint_check_phases(&back, phases, 0, err, sizeof(err)),
            KILN_ERR_INVALID_ARG);
  kiln_checkpoint_free(&back);
  kiln_signature_free(&sig);
}

} // namespace
