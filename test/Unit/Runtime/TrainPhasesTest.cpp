//===- TrainPhasesTest.cpp - Tests of multi-phase training steps ----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Calls kiln_run_main() in-process with a probe module whose training step
// has two phases ('a' then 'b', like a GAN's discriminator and generator),
// named metrics, an image output and a buffer. The entries record their
// calls and compute simple functions of the examples, so the phase order,
// the step values, every metric, the step log, the images, the checkpoint's
// running sums and every model error can be checked exactly. The lit tests
// test/Runtime/gan-demo-*.test cover the command line through
// kiln-gan-demo.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include "kiln/Runtime/Checkpoint.h"
#include "kiln/Runtime/Png.h"
#include "kiln/Runtime/Train.h"

#include <cmath>
#include <map>
#include <sys/stat.h>

using namespace kiln_test;

namespace {

constexpr int B = 4;

/// E: params p, q, r (r a buffer); inputs step, x f32 4x1 (the example's
/// value), y i64 4; outputs loss = mean x, logits 4x2, xsum = sum x (named),
/// img 4x1x2 (image=img: row i is [x_i / 10, 1 - x_i / 10]).
/// Phase a updates p (+1) and the buffer r (= 10 * step), state s_a (+1);
/// outputs loss = mean x, logits, xmax (named). Phase b updates q (+step),
/// state s_b (+x_0); outputs loss = mean x + 100 and pval = p (named).
const std::string kEval = "entry probe\n"
                          "param p f32 1 init=zeros\n"
                          "param q f32 1 init=zeros\n"
                          "param r f32 1 init=zeros buffer=1\n"
                          "input step i64 scalar role=step\n"
                          "input x f32 4x1\n"
                          "input y i64 4\n"
                          "output 0 f32 scalar\n"
                          "output 1 f32 4x2\n"
                          "output 2 f32 scalar name=xsum\n"
                          "output 3 f32 4x1x2 image=img\n";
const std::string kPhaseA = "entry probe_a train=probe phase=a\n"
                            "param p f32 1 init=zeros inout=1\n"
                            "param q f32 1 init=zeros\n"
                            "param r f32 1 init=zeros buffer=1 inout=1\n"
                            "state s_a f32 1 of=p\n"
                            "input step i64 scalar role=step\n"
                            "input x f32 4x1\n"
                            "input y i64 4\n"
                            "output 0 f32 scalar\n"
                            "output 1 f32 4x2\n"
                            "output 2 f32 scalar name=xmax\n";
const std::string kPhaseB = "entry probe_b train=probe phase=b\n"
                            "param p f32 1 init=zeros\n"
                            "param q f32 1 init=zeros inout=1\n"
                            "param r f32 1 init=zeros buffer=1\n"
                            "state s_b f32 1 of=q\n"
                            "input step i64 scalar role=step\n"
                            "input x f32 4x1\n"
                            "input y i64 4\n"
                            "output 0 f32 scalar\n"
                            "output 1 f32 scalar name=pval\n";
const std::string kSignature = "kiln-abi 1\n" + kEval + kPhaseA + kPhaseB;

/// One recorded call: which entry, the step it got, its first example.
struct Call {
  char entry;
  int64_t step;
  float x0;
  bool operator==(const Call &o) const {
    return entry == o.entry && step == o.step && x0 == o.x0;
  }
};
std::vector<Call> calls;

template <class T> T *data(void *desc) {
  return static_cast<T *>(static_cast<void **>(desc)[1]);
}

void record(char entry, void *step, void *x) {
  calls.push_back({entry, *data<int64_t>(step), data<float>(x)[0]});
}

float meanX(void *x) {
  float s = 0;
  for (int i = 0; i < B; ++i)
    s += data<float>(x)[i];
  return s / B;
}

void logits(void *x, void *out) {
  for (int i = 0; i < B; ++i) {
    data<float>(out)[2 * i] = 0.5f;
    data<float>(out)[2 * i + 1] = data<float>(x)[i];
  }
}

void probe(void **args) {
  record('e', args[3], args[4]);
  *data<float>(args[6]) = meanX(args[4]);
  logits(args[4], args[7]);
  *data<float>(args[8]) = meanX(args[4]) * B;
  for (int i = 0; i < B; ++i) {
    data<float>(args[9])[2 * i] = data<float>(args[4])[i] / 10;
    data<float>(args[9])[2 * i + 1] = 1 - data<float>(args[4])[i] / 10;
  }
}

void probeA(void **args) {
  record('a', args[4], args[5]);
  *data<float>(args[0]) += 1;
  *data<float>(args[2]) = 10.0f * float(*data<int64_t>(args[4]));
  *data<float>(args[3]) += 1;
  *data<float>(args[7]) = meanX(args[5]);
  logits(args[5], args[8]);
  float mx = data<float>(args[5])[0];
  for (int i = 1; i < B; ++i)
    mx = std::max(mx, data<float>(args[5])[i]);
  *data<float>(args[9]) = mx;
}

void probeB(void **args) {
  record('b', args[4], args[5]);
  *data<float>(args[1]) += float(*data<int64_t>(args[4]));
  *data<float>(args[3]) += data<float>(args[5])[0];
  *data<float>(args[7]) = meanX(args[5]) + 100;
  *data<float>(args[8]) = *data<float>(args[0]);
}

const kiln_entry_t kTable[] = {{"probe", probe},
                               {"probe_a", probeA},
                               {"probe_b", probeB},
                               {nullptr, nullptr}};

struct RunResult {
  int rc;
  std::string out, err;
};

/// Parses the JSON lines the trainer writes: numbers and null (as NaN).
std::vector<std::map<std::string, double>> readJsonLines(const std::string &p) {
  std::vector<std::map<std::string, double>> out;
  std::string text = readBytes(p);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    std::map<std::string, double> obj;
    size_t k = 0;
    while ((k = line.find('"', k)) != std::string::npos) {
      size_t ke = line.find('"', k + 1);
      std::string key = line.substr(k + 1, ke - k - 1);
      size_t v = line.find(':', ke) + 1;
      while (line[v] == ' ')
        ++v;
      obj[key] = line.compare(v, 4, "null") == 0
                     ? NAN
                     : strtod(line.c_str() + v, nullptr);
      k = line.find_first_of(",}", v);
    }
    out.push_back(obj);
  }
  return out;
}

std::vector<std::string> keys(const std::map<std::string, double> &m) {
  std::vector<std::string> out;
  for (auto &kv : m)
    out.push_back(kv.first);
  return out;
}

class TrainPhasesTest : public ::testing::Test {
protected:
  void SetUp() override {
    calls.clear();
    writeCsv("data/train.csv", 10);
    writeCsv("data/test.csv", 10);
    writeCsv("plain/train.csv", 10);
  }

  void writeCsv(const std::string &name, int n) {
    std::string text = "label,value\n";
    for (int i = 0; i < n; ++i)
      text += std::to_string(i % 2) + "," + std::to_string(i) + "\n";
    std::string path = dir.file(name);
    mkdir(path.substr(0, path.rfind('/')).c_str(), 0777);
    writeBytes(path, text);
  }

  RunResult run(std::vector<std::string> args,
                const std::string &sig = kSignature) {
    std::vector<char *> argv = {const_cast<char *>("probe-prog")};
    for (std::string &a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    calls.clear();
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    RunResult r;
    r.rc = kiln_run_main(static_cast<int>(argv.size() - 1), argv.data(),
                         "probe", nullptr, sig.c_str(), kTable);
    r.err = testing::internal::GetCapturedStderr();
    r.out = testing::internal::GetCapturedStdout();
    return r;
  }

  float readParam(const std::string &file) {
    kiln_tensor_t t;
    char err[256];
    EXPECT_EQ(kiln_npy_read(dir.file(file).c_str(), &t, err, sizeof(err)),
              KILN_OK)
        << err;
    float v = t.data ? *static_cast<float *>(t.data) : NAN;
    kiln_tensor_free(&t);
    return v;
  }

  TempDir dir;
};

/// Every batch runs phase a then phase b on the same examples with the same
/// step; the step grows by one per batch; params are shared by name.
TEST_F(TrainPhasesTest, PhasesRunInOrderOnEveryBatch) {
  RunResult r = run({"--data", dir.file("plain"), "--no-shuffle", "--epochs",
                     "2", "--quiet", "--save-params", dir.file("params"),
                     "--image-dir", dir.file("img")});
  ASSERT_EQ(r.rc, 0) << r.err;
  // No held-out set: E runs once per epoch on the first training examples,
  // for the images.
  const std::vector<Call> want = {
      {'a', 0, 0}, {'b', 0, 0}, {'a', 1, 4}, {'b', 1, 4}, {'e', 2, 0},
      {'a', 2, 0}, {'b', 2, 0}, {'a', 3, 4}, {'b', 3, 4}, {'e', 4, 0}};
  ASSERT_EQ(calls.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_TRUE(calls[i] == want[i])
        << i << ": " << calls[i].entry << " " << calls[i].step << " "
        << calls[i].x0;
  EXPECT_EQ(readParam("params/p.npy"), 4.0f);
  EXPECT_EQ(readParam("params/q.npy"), 6.0f);  // 0 + 1 + 2 + 3
  EXPECT_EQ(readParam("params/r.npy"), 30.0f); // the buffer: 10 * step 3
  EXPECT_EQ(r.out.rfind("epoch 1/2  loss_a 3.5000  loss_b 103.5000  xmax "
                        "5.0000  pval 1.5000  ",
                        0),
            0u)
      << r.out;
  EXPECT_EQ(r.out.find("acc"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("eval"), std::string::npos) << r.out;
  struct stat st;
  EXPECT_EQ(stat(dir.file("img/img_epoch1.png").c_str(), &st), 0);
  EXPECT_EQ(stat(dir.file("img/img_epoch2.png").c_str(), &st), 0);
  EXPECT_NE(stat(dir.file("img/img_epoch3.png").c_str(), &st), 0);
}

/// Metrics: each phase's loss, the training metrics (means over the
/// epoch's batches), the evaluation metrics (means weighted by the new rows
/// of each evaluation window, like eval_loss); no accuracy with several
/// phases.
TEST_F(TrainPhasesTest, MetricsAndStepLog) {
  RunResult r = run({"--data", dir.file("data"), "--no-shuffle", "--quiet",
                     "--metrics", dir.file("m.jsonl"), "--step-log",
                     dir.file("s.jsonl"), "--image-dir", dir.file("img")});
  ASSERT_EQ(r.rc, 0) << r.err;
  auto m = readJsonLines(dir.file("m.jsonl"));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(keys(m[0]),
            (std::vector<std::string>{
                "batches", "epoch", "eval_accuracy", "eval_loss", "eval_xsum",
                "samples_per_sec", "seconds", "step", "train_accuracy",
                "train_loss_a", "train_loss_b", "train_pval", "train_xmax"}));
  EXPECT_EQ(m[0]["train_loss_a"], 3.5);
  EXPECT_EQ(m[0]["train_loss_b"], 103.5);
  EXPECT_EQ(m[0]["train_xmax"], 5.0);   // (3 + 7) / 2
  EXPECT_EQ(m[0]["train_pval"], 1.5);   // p after phase a: 1, then 2
  EXPECT_TRUE(std::isnan(m[0]["train_accuracy"]));
  EXPECT_TRUE(std::isnan(m[0]["eval_accuracy"]));
  EXPECT_NEAR(m[0]["eval_loss"], 4.3, 1e-6);
  // Windows [0, 4), [4, 8), [6, 10) with 4, 4 and 2 new rows.
  EXPECT_NEAR(m[0]["eval_xsum"], (6.0 * 4 + 22 * 4 + 30 * 2) / 10, 1e-6);
  EXPECT_NE(r.out.find("eval_loss 4.3000  eval_xsum 17.2000  "),
            std::string::npos)
      << r.out;
  // The raw line: key order.
  std::string line = readBytes(dir.file("m.jsonl"));
  EXPECT_EQ(line.rfind("{\"epoch\": 1, \"step\": 2, \"batches\": 2, "
                       "\"train_loss_a\": 3.5, \"train_loss_b\": 103.5, "
                       "\"train_accuracy\": null, \"train_xmax\": 5, "
                       "\"train_pval\": 1.5, \"eval_loss\": ",
                       0),
            0u)
      << line;
  EXPECT_NE(line.find("\"eval_accuracy\": null, \"eval_xsum\": 17.2, "
                      "\"samples_per_sec\": "),
            std::string::npos)
      << line;
  EXPECT_EQ(readBytes(dir.file("s.jsonl")),
            "{\"step\": 1, \"loss_a\": 1.5, \"loss_b\": 101.5}\n"
            "{\"step\": 2, \"loss_a\": 5.5, \"loss_b\": 105.5}\n");
  // The image of the first evaluation batch, examples 0..3.
  std::string png = readBytes(dir.file("img/img_epoch1.png"));
  ASSERT_GT(png.size(), 33u);
  // 4 images of 1x2: a 2x2 grid, 2 * 2 + 2 wide, 1 * 2 + 2 high.
  EXPECT_EQ(png.substr(16, 8), std::string("\0\0\0\x06\0\0\0\x04", 8));
  unsigned char *want = nullptr;
  size_t size = 0;
  // Row 0: images 0 and 1, rows 1 and 2 a gutter, row 3: images 2 and 3;
  // columns 2 and 3 a gutter.
  std::vector<uint8_t> px(6 * 4, 0);
  for (int k = 0; k < 4; ++k) {
    float v = float(k) / 10, w = 1 - v;
    px[(k / 2) * 3 * 6 + (k % 2) * 4] = uint8_t(std::floor(v * 255.0 + 0.5));
    px[(k / 2) * 3 * 6 + (k % 2) * 4 + 1] =
        uint8_t(std::floor(w * 255.0 + 0.5));
  }
  EXPECT_EQ(px[1], 255);
  EXPECT_EQ(px[4], 26);
  char err[256];
  ASSERT_EQ(
      kiln_png_encode_gray(px.data(), 6, 4, &want, &size, err, sizeof(err)),
      KILN_OK);
  EXPECT_EQ(png, std::string(reinterpret_cast<char *>(want), size));
  free(want);
}

/// --train-entry runs one phase alone: an ordinary single-phase step
/// (train_loss, accuracy from its logits, the single-phase fingerprint).
TEST_F(TrainPhasesTest, TrainEntrySelectsOnePhase) {
  RunResult r = run({"--data", dir.file("data"), "--no-shuffle", "--quiet",
                     "--train-entry", "probe_a", "--metrics",
                     dir.file("m.jsonl"), "--checkpoint", dir.file("a.ck"),
                     "--image-dir", dir.file("img")});
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const Call &c : calls)
    EXPECT_NE(c.entry, 'b');
  auto m = readJsonLines(dir.file("m.jsonl"));
  EXPECT_EQ(m[0]["train_loss"], 3.5);
  EXPECT_EQ(m[0]["train_accuracy"], 0.625);
  EXPECT_EQ(m[0].count("train_loss_a"), 0u);
  EXPECT_EQ(m[0]["train_xmax"], 5.0);
  EXPECT_EQ(m[0].count("train_pval"), 0u);
  kiln_checkpoint_t ck;
  char err[512];
  ASSERT_EQ(kiln_checkpoint_read(dir.file("a.ck").c_str(), &ck, err,
                                 sizeof(err)),
            KILN_OK)
      << err;
  kiln_signature_t sig;
  ASSERT_EQ(kiln_signature_parse(kSignature.c_str(), &sig, err, sizeof(err)),
            KILN_OK);
  const kiln_sig_entry_t *a = kiln_signature_find_entry(&sig, "probe_a");
  EXPECT_EQ(ck.fingerprint, kiln_checkpoint_fingerprint(a));
  // One running sum: the metric xmax (the loss is in the header).
  const kiln_ckpt_tensor_t *xmax =
      kiln_checkpoint_find(&ck, KILN_CKPT_SUM, "xmax");
  ASSERT_NE(xmax, nullptr);
  EXPECT_EQ(ck.num_tensors, 5u); // p, q, r, s_a, xmax
  kiln_checkpoint_free(&ck);
  kiln_signature_free(&sig);

  // It cannot resume the two-phase model, nor the other way around.
  r = run({"--data", dir.file("data"), "--quiet", "--epochs", "2",
           "--resume", dir.file("a.ck")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "probe: error: " + dir.file("a.ck") +
                       ": checkpoint is for a different model: state 's_b' "
                       "is missing from the checkpoint\n");
  r = run({"--data", dir.file("data"), "--no-shuffle", "--quiet",
           "--checkpoint", dir.file("ab.ck"), "--image-dir", dir.file("img")});
  ASSERT_EQ(r.rc, 0) << r.err;
  r = run({"--data", dir.file("data"), "--quiet", "--epochs", "2",
           "--no-shuffle", "--train-entry", "probe_a", "--resume",
           dir.file("ab.ck")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "probe: error: " + dir.file("ab.ck") +
                       ": checkpoint is for a different model: the "
                       "checkpoint has a state 's_b' that this model does "
                       "not have\n");
}

/// A run stopped mid-epoch and resumed reports the same metrics and ends
/// with the same checkpoint as a straight run: the running sums of every
/// phase and metric are in the checkpoint.
TEST_F(TrainPhasesTest, ResumeKeepsRunningSums) {
  std::vector<std::string> common = {"--data", dir.file("data"), "--epochs",
                                     "2", "--quiet", "--image-dir",
                                     dir.file("img")};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  RunResult r = run(with({"--checkpoint", dir.file("straight.ck"),
                          "--metrics", dir.file("straight.jsonl")}));
  ASSERT_EQ(r.rc, 0) << r.err;
  r = run(with({"--max-steps", "3", "--checkpoint", dir.file("mid.ck"),
                "--metrics", dir.file("mid.jsonl")}));
  ASSERT_EQ(r.rc, 0) << r.err;
  kiln_checkpoint_t ck;
  char err[512];
  ASSERT_EQ(kiln_checkpoint_read(dir.file("mid.ck").c_str(), &ck, err,
                                 sizeof(err)),
            KILN_OK);
  EXPECT_EQ(ck.step, 3u);
  EXPECT_EQ(ck.batch, 1u);
  // p, q, r, s_a, s_b, then the sums: loss_b, xmax, pval.
  ASSERT_EQ(ck.num_tensors, 8u);
  EXPECT_STREQ(ck.tensors[5].name, "loss_b");
  EXPECT_STREQ(ck.tensors[6].name, "xmax");
  EXPECT_STREQ(ck.tensors[7].name, "pval");
  for (size_t i = 5; i < 8; ++i) {
    EXPECT_EQ(ck.tensors[i].kind, KILN_CKPT_SUM);
    EXPECT_EQ(ck.tensors[i].tensor.dtype, KILN_F64);
    EXPECT_EQ(ck.tensors[i].tensor.rank, 0);
  }
  EXPECT_EQ(*static_cast<double *>(ck.tensors[7].tensor.data), 3.0);
  EXPECT_EQ(ck.loss_sum, *static_cast<double *>(ck.tensors[5].tensor.data) -
                             100);
  kiln_checkpoint_free(&ck);
  r = run(with({"--resume", dir.file("mid.ck"), "--checkpoint",
                dir.file("mid.ck"), "--metrics", dir.file("mid.jsonl")}));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(readBytes(dir.file("mid.ck")), readBytes(dir.file("straight.ck")));
  auto a = readJsonLines(dir.file("straight.jsonl"));
  auto b = readJsonLines(dir.file("mid.jsonl"));
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 3u); // epoch 2 cut short, then completed
  for (const char *k :
       {"train_loss_a", "train_loss_b", "train_xmax", "train_pval",
        "eval_loss", "eval_xsum", "step", "batches"})
    EXPECT_EQ(a[1][k], b[2][k]) << k;
  EXPECT_EQ(b[1]["batches"], 1);

  // A checkpoint without one of the running sums (crafted) is refused.
  kiln_checkpoint_t full;
  ASSERT_EQ(kiln_checkpoint_read(dir.file("straight.ck").c_str(), &full, err,
                                 sizeof(err)),
            KILN_OK);
  full.num_tensors = 7; // drop pval
  ASSERT_EQ(kiln_checkpoint_write(dir.file("nopval.ck").c_str(), &full, err,
                                  sizeof(err)),
            KILN_OK);
  // ... and one with a running sum this model does not have.
  std::vector<kiln_ckpt_tensor_t> more(full.tensors, full.tensors + 8);
  more.push_back(full.tensors[7]);
  char other[] = "other";
  more.back().name = other;
  kiln_checkpoint_t extra = full;
  extra.tensors = more.data();
  extra.num_tensors = more.size();
  ASSERT_EQ(kiln_checkpoint_write(dir.file("other.ck").c_str(), &extra, err,
                                  sizeof(err)),
            KILN_OK)
      << err;
  full.num_tensors = 8;
  kiln_checkpoint_free(&full);
  r = run(with({"--epochs", "3", "--resume", dir.file("nopval.ck")}));
  EXPECT_EQ(r.err, "probe: error: " + dir.file("nopval.ck") +
                       ": checkpoint is for a different model: running sum "
                       "'pval' is missing from the checkpoint\n");
  r = run(with({"--epochs", "3", "--resume", dir.file("other.ck")}));
  EXPECT_EQ(r.err, "probe: error: " + dir.file("other.ck") +
                       ": checkpoint is for a different model: the "
                       "checkpoint has a running sum 'other' that this model "
                       "does not have\n");
}

TEST_F(TrainPhasesTest, Help) {
  RunResult r = run({"--help"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("  --image-dir DIR "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MODEL:\n"
                       "  training step of 'probe' in 2 phases run on every "
                       "batch, batch size 4\n"
                       "    input  step: scalar i64 (update counter)\n"
                       "    input  x: 4x1 f32 (features)\n"
                       "    input  y: 4 i64 (class labels)\n"
                       "    phase 1 'a' (entry 'probe_a'): updates 2 of the "
                       "params, 1 optimizer state\n"
                       "      output 0: scalar f32 (loss)\n"
                       "      output 1: 4x2 f32\n"
                       "      output 2: scalar f32 (metric xmax)\n"
                       "    phase 2 'b' (entry 'probe_b'): updates 1 of the "
                       "params, 1 optimizer state\n"
                       "      output 0: scalar f32 (loss)\n"
                       "      output 1: scalar f32 (metric pval)\n"
                       "  params: 3 (3 values; 1 buffer, not trained)\n"
                       "    p: 1 f32, init zeros\n"
                       "    q: 1 f32, init zeros\n"
                       "    r: 1 f32, init zeros, buffer\n"
                       "  optimizer states: 2 (2 values, zero-initialized)\n"
                       "  evaluation 'probe':\n"
                       "    output 2: scalar f32 (metric eval_xsum)\n"
                       "    output 3: 4x1x2 f32 (image img)\n"
                       "  images: img (4 of 1x2) saved as "
                       "IMAGE_DIR/img_epochK.png\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  probe_a (phase 'a' of the training step of "
                       "'probe'; run without --entry)\n"),
            std::string::npos)
      << r.out;
}

/// Errors of the model, found before anything is written.
TEST_F(TrainPhasesTest, ModelErrors) {
  auto replace = [](std::string s, const std::string &in,
                    const std::string &from, const std::string &to) {
    size_t at = s.find(from, s.find(in));
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  struct Case {
    std::string sig;
    std::string message;
  };
  const std::string &s = kSignature;
  const Case cases[] = {
      {replace(s, "entry probe_b", "param r f32 1 init=zeros buffer=1\n", ""),
       "evaluation entry 'probe' does not match training entry 'probe_b': 3 "
       "params vs 2"},
      {replace(s, "entry probe_b", "param q f32 1", "param q f64 1"),
       "evaluation entry 'probe' does not match training entry 'probe_b': "
       "param 1 is 'q' 1 f32 there, 'q' 1 f64 here"},
      {replace(s, "entry probe_b", "input x f32 4x1", "input x f32 4x2"),
       "evaluation entry 'probe' does not match training entry 'probe_b': "
       "input 'x' is 4x1 f32 there, input 'x' is 4x2 f32 here"},
      {replace(s, "entry probe_b", "input y i64 4\n", ""),
       "evaluation entry 'probe' does not match training entry 'probe_b': 2 "
       "data inputs vs 1"},
      {replace(s, "entry probe_b", "output 0 f32 scalar", "output 0 f64 scalar"),
       "training entry 'probe_b': output 0 must be the loss, an f32 scalar; "
       "found scalar f64"},
      {replace(s, "entry probe_b", "of=q", "of=p"),
       "training entry 'probe_b': state 's_b' belongs to param 'p', which the "
       "entry does not update (no inout=1)"},
      {replace(s, "entry probe_b", "state s_b", "state s_a"),
       "training entries 'probe_a' and 'probe_b' both have a state 's_a'; the "
       "states of the phases must have distinct names"},
      {replace(s, "entry probe_b", "name=pval", "name=xmax"),
       "training entries 'probe_a' and 'probe_b' both have an output named "
       "'xmax'; the metrics of the phases must have distinct names"},
      {replace(s, "entry probe_b", "name=pval", "name=loss_a"),
       "training entry 'probe_b': output 1 is named 'loss_a', which the "
       "trainer reports itself; choose another name"},
      {replace(s, "entry probe_a", "name=xmax", "name=loss"),
       "training entry 'probe_a': output 2 is named 'loss', which the trainer "
       "reports itself; choose another name"},
      {replace(s, "entry probe\n", "name=xsum", "name=acc"),
       "evaluation entry 'probe': output 2 is named 'acc', which the trainer "
       "reports itself; choose another name"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.message);
    RunResult r = run({"--data", dir.file("data"), "--quiet", "--metrics",
                       dir.file("m.jsonl")},
                      c.sig);
    EXPECT_EQ(r.rc, 1);
    EXPECT_EQ(r.err, "probe: error: " + c.message + "\n");
    EXPECT_TRUE(calls.empty());
    struct stat st;
    EXPECT_NE(stat(dir.file("m.jsonl").c_str(), &st), 0);
  }
  // name=loss_a is fine for a single phase (no loss_PHASE keys then).
  RunResult r = run({"--data", dir.file("data"), "--quiet", "--train-entry",
                     "probe_b", "--image-dir", dir.file("img")},
                    replace(s, "entry probe_b", "name=pval", "name=loss_a"));
  EXPECT_EQ(r.rc, 0) << r.err;
  // --image-dir must not run into a file; checked before training.
  writeBytes(dir.file("file"), "x");
  r = run({"--data", dir.file("data"), "--quiet", "--image-dir",
           dir.file("file/img"), "--metrics", dir.file("m.jsonl")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "probe: error: --image-dir " + dir.file("file/img") +
                       ": '" + dir.file("file") + "' is not a directory\n");
  EXPECT_TRUE(calls.empty());
}

} // namespace
