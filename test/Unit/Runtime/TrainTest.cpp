//===- TrainTest.cpp - Tests of the trainer (kiln_train_main) -------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Calls kiln_run_main() in-process with a "probe" module written here whose
// entries record what they receive and whose losses and logits are simple
// functions of the examples, so that the batches, the step counter, the
// evaluation windows and every metric can be checked exactly. The lit tests
// in test/Runtime cover the command line through kiln-train-demo.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

#include "kiln/Runtime/Checkpoint.h"
#include "kiln/Runtime/Train.h"

#include <cmath>
#include <map>

using namespace kiln_test;

namespace {

/// Batch size of the probe module.
constexpr int B = 4;

/// The probe: x f32 4x1 (the example's value), y i64 4. Loss = mean of x;
/// logits row i = [0.5, x_i], so the predicted class is 1 iff x_i > 0.5.
/// The training step also adds 1 to param p and the step to state s.
const char kProbeSignature[] = "kiln-abi 1\n"
                               "entry probe\n"
                               "param p f32 1 init=zeros\n"
                               "input x f32 4x1\n"
                               "input y i64 4\n"
                               "output 0 f32 scalar\n"
                               "output 1 f32 4x2\n"
                               "entry probe_train train=probe\n"
                               "param p f32 1 init=zeros inout=1\n"
                               "state s f32 1 of=p\n"
                               "input step i64 scalar role=step\n"
                               "input x f32 4x1\n"
                               "input y i64 4\n"
                               "output 0 f32 scalar\n"
                               "output 1 f32 4x2\n";

struct Desc {
  void *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
};

/// What the entries received, in call order.
struct Calls {
  std::vector<std::vector<float>> trainX, evalX;
  std::vector<int64_t> steps;
} calls;

std::vector<float> rows(void *xDesc) {
  const float *x = static_cast<float *>(static_cast<Desc *>(xDesc)->aligned);
  return std::vector<float>(x, x + B);
}

void forward(void *xDesc, void *lossDesc, void *logitsDesc) {
  const float *x = static_cast<float *>(static_cast<Desc *>(xDesc)->aligned);
  float *logits =
      static_cast<float *>(static_cast<Desc *>(logitsDesc)->aligned);
  float sum = 0;
  for (int i = 0; i < B; ++i) {
    sum += x[i];
    logits[2 * i] = 0.5f;
    logits[2 * i + 1] = x[i];
  }
  *static_cast<float *>(static_cast<Desc *>(lossDesc)->aligned) = sum / B;
}

void probe(void **args) {
  calls.evalX.push_back(rows(args[1]));
  forward(args[1], args[3], args[4]);
}

void probeTrain(void **args) {
  float *p = static_cast<float *>(static_cast<Desc *>(args[0])->aligned);
  float *s = static_cast<float *>(static_cast<Desc *>(args[1])->aligned);
  int64_t step = *static_cast<int64_t *>(static_cast<Desc *>(args[2])->aligned);
  calls.steps.push_back(step);
  calls.trainX.push_back(rows(args[3]));
  forward(args[3], args[5], args[6]);
  *p += 1;
  *s += static_cast<float>(step);
}

const kiln_entry_t kProbeTable[] = {
    {"probe", probe}, {"probe_train", probeTrain}, {nullptr, nullptr}};

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

class TrainTest : public ::testing::Test {
protected:
  void SetUp() override {
    calls = Calls();
    // Example i has value i and label i % 2: the probe classifies 0 and the
    // odd examples correctly.
    writeCsv("data/train.csv", 10);
    writeCsv("data/test.csv", 10);
    writeCsv("small/train.csv", 10);
    writeCsv("small/test.csv", 3);
  }

  void writeCsv(const std::string &name, int n) {
    std::string text = "label,value\n";
    for (int i = 0; i < n; ++i)
      text += std::to_string(i % 2) + "," + std::to_string(i) + "\n";
    std::string path = dir.file(name);
    mkdir(path.substr(0, path.rfind('/')).c_str(), 0777);
    writeBytes(path, text);
  }

  RunResult run(std::vector<std::string> args) {
    std::vector<char *> argv = {const_cast<char *>("probe-prog")};
    for (std::string &a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    calls = Calls();
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    RunResult r;
    r.rc = kiln_run_main(static_cast<int>(argv.size() - 1), argv.data(),
                         "probe", nullptr, kProbeSignature, kProbeTable);
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

/// In file order, each epoch trains on the first two full batches (the last
/// partial batch is dropped), passes the update count as the step, and
/// reports the mean step loss and the accuracy over the trained rows.
TEST_F(TrainTest, StepsBatchesAndTrainMetrics) {
  RunResult r = run({"--data", dir.file("data"), "--no-shuffle", "--epochs",
                     "3", "--quiet", "--metrics", dir.file("m.jsonl"),
                     "--save-params", dir.file("params")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  ASSERT_EQ(calls.steps, (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
  for (size_t k = 0; k < 6; ++k) {
    float first = k % 2 ? 4.0f : 0.0f;
    EXPECT_EQ(calls.trainX[k],
              (std::vector<float>{first, first + 1, first + 2, first + 3}));
  }
  EXPECT_EQ(readParam("params/p.npy"), 6.0f);

  auto m = readJsonLines(dir.file("m.jsonl"));
  ASSERT_EQ(m.size(), 3u);
  for (int e = 0; e < 3; ++e) {
    SCOPED_TRACE(e);
    EXPECT_EQ(m[e]["epoch"], e + 1);
    EXPECT_EQ(m[e]["step"], 2 * (e + 1));
    EXPECT_EQ(m[e]["batches"], 2);
    // Batch losses 1.5 and 5.5; rows 0..7: 0, 1, 3, 5, 7 correct.
    EXPECT_EQ(m[e]["train_loss"], 3.5);
    EXPECT_EQ(m[e]["train_accuracy"], 0.625);
    for (const char *key :
         {"eval_loss", "eval_accuracy", "samples_per_sec", "seconds"})
      EXPECT_EQ(m[e].count(key), 1u) << key;
  }
  // Summary lines on stdout.
  EXPECT_EQ(r.out.rfind("epoch 1/3  loss 3.5000  acc 0.6250  eval_loss ", 0),
            0u)
      << r.out;
}

/// Held-out: full batches in order, then the last B examples with only the
/// new rows counted; the loss of that window is weighted by its new rows.
TEST_F(TrainTest, EvaluationWindows) {
  RunResult r = run({"--data", dir.file("data"), "--quiet", "--metrics",
                     dir.file("m.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_EQ(calls.evalX.size(), 3u);
  EXPECT_EQ(calls.evalX[0], (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(calls.evalX[1], (std::vector<float>{4, 5, 6, 7}));
  EXPECT_EQ(calls.evalX[2], (std::vector<float>{6, 7, 8, 9}));
  auto m = readJsonLines(dir.file("m.jsonl"));
  ASSERT_EQ(m.size(), 1u);
  // (1.5 * 4 + 5.5 * 4 + 7.5 * 2) / 10; examples 0, 1, 3, 5, 7, 9 correct.
  EXPECT_NEAR(m[0]["eval_loss"], 4.3, 1e-6);
  EXPECT_EQ(m[0]["eval_accuracy"], 0.6);
  EXPECT_NE(r.out.find("eval_loss 4.3000  eval_acc 0.6000"), std::string::npos)
      << r.out;
}

/// A held-out set smaller than a batch is repeated cyclically; only its real
/// rows count.
TEST_F(TrainTest, EvaluationSmallerThanBatch) {
  RunResult r = run({"--data", dir.file("small"), "--quiet", "--metrics",
                     dir.file("m.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_EQ(calls.evalX.size(), 1u);
  EXPECT_EQ(calls.evalX[0], (std::vector<float>{0, 1, 2, 0}));
  auto m = readJsonLines(dir.file("m.jsonl"));
  EXPECT_EQ(m[0]["eval_loss"], 0.75);
  EXPECT_NEAR(m[0]["eval_accuracy"], 2.0 / 3, 1e-8);
}

/// --holdout N takes the last N training examples as the held-out set.
TEST_F(TrainTest, Holdout) {
  RunResult r =
      run({"--data", dir.file("data/train.csv"), "--holdout", "3",
           "--no-shuffle", "--quiet", "--metrics", dir.file("m.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_EQ(calls.trainX.size(), 1u); // 7 examples: one batch.
  EXPECT_EQ(calls.evalX[0], (std::vector<float>{7, 8, 9, 7}));
  auto m = readJsonLines(dir.file("m.jsonl"));
  EXPECT_EQ(m[0]["eval_loss"], 7.75);
  EXPECT_NEAR(m[0]["eval_accuracy"], 2.0 / 3, 1e-8);

  // A .csv file alone has no held-out set: eval keys are null.
  r = run({"--data", dir.file("data/train.csv"), "--quiet", "--metrics",
           dir.file("m2.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err;
  m = readJsonLines(dir.file("m2.jsonl"));
  EXPECT_TRUE(std::isnan(m[0]["eval_loss"]));
  EXPECT_TRUE(std::isnan(m[0]["eval_accuracy"]));
  EXPECT_EQ(r.out.find("eval"), std::string::npos) << r.out;

  r = run({"--data", dir.file("data"), "--holdout", "10"});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "probe: error: --holdout 10 leaves no training examples (" +
                       dir.file("data/train.csv") + " has 10)\n");
}

/// Each epoch visits the training set in the seeded shuffled order of
/// kiln_shuffle_indices(N, kiln_shuffle_epoch_seed(seed, epoch)).
TEST_F(TrainTest, ShuffledOrderIsSeededPerEpoch) {
  RunResult r = run(
      {"--data", dir.file("data"), "--seed", "42", "--epochs", "3", "--quiet"});
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_EQ(calls.trainX.size(), 6u);
  for (uint64_t e = 0; e < 3; ++e) {
    int64_t perm[10];
    kiln_shuffle_indices(perm, 10, kiln_shuffle_epoch_seed(42, e));
    for (int k = 0; k < 2 * B; ++k)
      EXPECT_EQ(calls.trainX[2 * e + k / B][k % B], static_cast<float>(perm[k]))
          << "epoch " << e << " position " << k;
  }
}

/// --max-steps stops mid-epoch; the epoch's metrics cover the steps done,
/// and the checkpoint records the position; resuming finishes the run with
/// the same calls an uninterrupted run makes.
TEST_F(TrainTest, MaxStepsAndResume) {
  RunResult full = run({"--data", dir.file("data"), "--epochs", "3", "--quiet",
                        "--checkpoint", dir.file("full.ck")});
  ASSERT_EQ(full.rc, 0) << full.err;
  Calls straight = calls;

  RunResult r = run({"--data", dir.file("data"), "--epochs", "3", "--quiet",
                     "--max-steps", "3", "--checkpoint", dir.file("ck"),
                     "--metrics", dir.file("m.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(calls.steps, (std::vector<int64_t>{0, 1, 2}));
  Calls first = calls;
  kiln_checkpoint_t ck;
  char err[512];
  ASSERT_EQ(kiln_checkpoint_read(dir.file("ck").c_str(), &ck, err, sizeof(err)),
            KILN_OK)
      << err;
  EXPECT_EQ(ck.step, 3u);
  EXPECT_EQ(ck.epoch, 1u);
  EXPECT_EQ(ck.batch, 1u);
  EXPECT_EQ(ck.train_examples, 10u);
  EXPECT_EQ(ck.batch_size, 4u);
  EXPECT_EQ(ck.flags, KILN_CKPT_SHUFFLE);
  EXPECT_EQ(ck.seed, 0u);
  EXPECT_EQ(ck.loss_sum,
            static_cast<double>(first.trainX[2][0] + first.trainX[2][1] +
                                first.trainX[2][2] + first.trainX[2][3]) /
                4);
  ASSERT_NE(kiln_checkpoint_find(&ck, KILN_CKPT_STATE, "s"), nullptr);
  // s = 0 + 1 + 2.
  EXPECT_EQ(*static_cast<float *>(
                kiln_checkpoint_find(&ck, KILN_CKPT_STATE, "s")->tensor.data),
            3.0f);
  kiln_checkpoint_free(&ck);
  auto m = readJsonLines(dir.file("m.jsonl"));
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1]["epoch"], 2);
  EXPECT_EQ(m[1]["batches"], 1);
  EXPECT_EQ(m[1]["step"], 3);

  r = run({"--data", dir.file("data"), "--epochs", "3", "--quiet", "--resume",
           dir.file("ck"), "--checkpoint", dir.file("ck"), "--metrics",
           dir.file("m.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(calls.steps, (std::vector<int64_t>{3, 4, 5}));
  for (size_t k = 0; k < 3; ++k)
    EXPECT_EQ(calls.trainX[k], straight.trainX[3 + k]) << k;
  EXPECT_EQ(readBytes(dir.file("ck")), readBytes(dir.file("full.ck")));
  // Appended: the partial epoch 2, then epochs 2 (complete) and 3.
  m = readJsonLines(dir.file("m.jsonl"));
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[2]["epoch"], 2);
  EXPECT_EQ(m[2]["batches"], 2);
  EXPECT_EQ(m[3]["epoch"], 3);
  EXPECT_EQ(m[3]["step"], 6);

  // Resuming a finished run trains nothing and rewrites nothing.
  std::string before = readBytes(dir.file("ck"));
  r = run({"--data", dir.file("data"), "--epochs", "3", "--quiet", "--resume",
           dir.file("ck"), "--checkpoint", dir.file("ck")});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(calls.steps.empty());
  EXPECT_NE(r.err.find("nothing to train"), std::string::npos) << r.err;
  EXPECT_EQ(readBytes(dir.file("ck")), before);
}

/// --init-params loads DIR/<param>.npy with the exact type.
TEST_F(TrainTest, InitParams) {
  mkdir(dir.file("init").c_str(), 0777);
  kiln_tensor_t p = makeTensor(KILN_F32, {1});
  *static_cast<float *>(p.data) = 100;
  char err[256];
  ASSERT_EQ(
      kiln_npy_write(dir.file("init/p.npy").c_str(), &p, err, sizeof(err)),
      KILN_OK);
  kiln_tensor_free(&p);
  RunResult r = run({"--data", dir.file("data"), "--quiet", "--init-params",
                     dir.file("init"), "--save-params", dir.file("out")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(readParam("out/p.npy"), 102.0f);

  kiln_tensor_t bad = makeTensor(KILN_F64, {1});
  ASSERT_EQ(
      kiln_npy_write(dir.file("init/p.npy").c_str(), &bad, err, sizeof(err)),
      KILN_OK);
  kiln_tensor_free(&bad);
  r = run({"--data", dir.file("data"), "--init-params", dir.file("init")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "probe: error: " + dir.file("init/p.npy") +
                       ": param 'p': expected shape 1 f32, got 1 f64\n");
  EXPECT_TRUE(calls.steps.empty());
}

/// The step log has one line per update, numbered from 1.
TEST_F(TrainTest, StepLog) {
  RunResult r = run({"--data", dir.file("data"), "--no-shuffle", "--epochs",
                     "2", "--quiet", "--step-log", dir.file("steps.jsonl")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(readBytes(dir.file("steps.jsonl")),
            "{\"step\": 1, \"loss\": 1.5}\n{\"step\": 2, \"loss\": 5.5}\n"
            "{\"step\": 3, \"loss\": 1.5}\n{\"step\": 4, \"loss\": 5.5}\n");
}

/// Progress on a non-terminal stderr is one line per epoch; --quiet
/// silences it.
TEST_F(TrainTest, PlainProgress) {
  RunResult r = run({"--data", dir.file("data"), "--epochs", "2"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "probe: epoch 1/2: trained on 2 batches of 4 (step 2)\n"
                   "probe: epoch 2/2: trained on 2 batches of 4 (step 4)\n");
}

/// With --entry the module's entries run on .npy inputs as usual, except
/// the training step.
TEST_F(TrainTest, EntryRunsInference) {
  kiln_tensor_t x = makeTensor(KILN_F32, {4, 1}), y = makeTensor(KILN_I64, {4});
  for (int i = 0; i < 4; ++i)
    static_cast<float *>(x.data)[i] = static_cast<float>(2 * i);
  char err[256];
  ASSERT_EQ(kiln_npy_write(dir.file("x.npy").c_str(), &x, err, sizeof(err)),
            KILN_OK);
  ASSERT_EQ(kiln_npy_write(dir.file("y.npy").c_str(), &y, err, sizeof(err)),
            KILN_OK);
  kiln_tensor_free(&x);
  kiln_tensor_free(&y);
  RunResult r = run({"--entry", "probe", dir.file("x.npy"), dir.file("y.npy")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind("output 0: scalar f32\n3.\n", 0), 0u) << r.out;
  r = run({"--entry=probe_train", dir.file("x.npy"), dir.file("y.npy")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "probe: error: entry 'probe_train' is a training step: run "
                   "the program without --entry to train (--data PATH "
                   "--epochs N ...; see --help)\n");
  r = run({dir.file("x.npy")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err, "probe: error: unexpected argument '" + dir.file("x.npy") +
                       "': this program trains (see --help); use --entry "
                       "NAME to run an entry on .npy inputs\n");
}

TEST_F(TrainTest, HelpDescribesTheModel) {
  RunResult r = run({"--help"});
  ASSERT_EQ(r.rc, 0);
  EXPECT_EQ(r.out.rfind("USAGE: probe --data PATH [options]\n", 0), 0u)
      << r.out;
  for (const char *flag :
       {"--data PATH", "--eval-data PATH", "--holdout N", "--epochs N",
        "--batch B", "--seed N", "--no-shuffle", "--max-steps N",
        "--init-params DIR", "--train-entry NAME", "--metrics FILE",
        "--step-log FILE", "--checkpoint FILE", "--checkpoint-every N",
        "--resume FILE", "--save-params DIR", "--quiet", "--help, -h",
        "--entry NAME"})
    EXPECT_NE(r.out.find("\n  " + std::string(flag) + " "), std::string::npos)
        << flag;
  EXPECT_NE(r.out.find("training step 'probe_train' (evaluation: 'probe'), "
                       "batch size 4\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    input  y: 4 i64 (class labels)\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("  params: 1 (1 values)\n    p: 1 f32, init zeros\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  probe_train (training step of 'probe'; run without "
                       "--entry)\n"),
            std::string::npos);
  // --help wins over --entry in a training module.
  r = run({"--entry", "probe", "--help"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(r.out.rfind("USAGE: probe --data PATH [options]\n", 0), 0u);
}

/// Errors that need a module other than kiln-train-demo's.
TEST_F(TrainTest, ModuleErrors) {
  auto train = [&](const char *sig, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"probe-prog", "--data", dir.file("data")};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char *> argv;
    for (std::string &a : args)
      argv.push_back(a.data());
    kiln_signature_t parsed;
    char err[512];
    EXPECT_EQ(kiln_signature_parse(sig, &parsed, err, sizeof(err)), KILN_OK)
        << err;
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    RunResult r;
    r.rc = kiln_train_main(static_cast<int>(argv.size()), argv.data(), "probe",
                           nullptr, &parsed, kProbeTable);
    r.err = testing::internal::GetCapturedStderr();
    r.out = testing::internal::GetCapturedStdout();
    kiln_signature_free(&parsed);
    return r;
  };
  struct Case {
    std::string sig;
    const char *message;
  };
  std::string eval = "entry probe\nparam p f32 1 init=zeros\n"
                     "input x f32 4x1\ninput y i64 4\noutput 0 f32 scalar\n";
  std::string head = "kiln-abi 1\n" + eval +
                     "entry probe_train train=probe\n"
                     "param p f32 1 init=zeros\n";
  const Case cases[] = {
      {"kiln-abi 1\n" + eval, "the module has no training step"},
      {head + "input x f32 4x1\ninput y i64 4\noutput 0 f32 4\n",
       "training entry 'probe_train': output 0 must be the loss, an f32 "
       "scalar; found 4 f32"},
      {head + "input x f32 4x1\ninput y i64 4\n",
       "training entry 'probe_train' has no outputs"},
      {head + "input x i64 4x1\ninput y i64 4\noutput 0 f32 scalar\n",
       "training entry 'probe_train': input 'x' (the features) must be f32 "
       "with a leading batch dimension; found 4x1 i64"},
      {head + "input x f32 4x1\ninput y i64 4x2\noutput 0 f32 scalar\n",
       "input 'y' (the labels) must be i64 class indices of shape 4 or f32 "
       "targets with leading extent 4; found 4x2 i64"},
      {head + "input x f32 4x1\ninput y i64 4\ninput z i64 4\n"
              "output 0 f32 scalar\n",
       "training entry 'probe_train' must have 1 or 2 data inputs (features, "
       "then optional labels or targets), found 3"},
      {head + "input x f32 4x1\ninput y i64 5\noutput 0 f32 scalar\n",
       "input 'y' (the labels) must be i64 class indices of shape 4"},
      {head + "input x f32 4x2\ninput y i64 4\noutput 0 f32 scalar\n",
       "evaluation entry 'probe' does not match training entry 'probe_train': "
       "input 'x' is 4x1 f32 there, input 'x' is 4x2 f32 here"},
      {"kiln-abi 1\n" + eval +
           "entry probe_train train=probe\nparam q f32 1 init=zeros\n"
           "input x f32 4x1\ninput y i64 4\noutput 0 f32 scalar\n",
       "evaluation entry 'probe' does not match training entry 'probe_train': "
       "param 0 is 'p' 1 f32 there, 'q' 1 f32 here"},
      {"kiln-abi 1\n" + eval +
           "entry other_train train=probe\nparam p f32 1 init=zeros\n"
           "input x f32 4x1\ninput y i64 4\noutput 0 f32 scalar\n",
       "entry 'other_train' is missing from the module's entry table"},
      {head + "param p2 f32 1 init=zeros\ninput x f32 4x1\ninput y i64 4\n"
              "output 0 f32 scalar\n",
       "evaluation entry 'probe' does not match training entry 'probe_train': "
       "1 params vs 2"},
      {head + "input x f32 4x1\noutput 0 f32 scalar\n",
       "evaluation entry 'probe' does not match training entry 'probe_train': "
       "2 data inputs vs 1"},
      {"kiln-abi 1\nentry probe\nparam p f32 1 init=zeros\nstate m f32 1\n"
       "input x f32 4x1\ninput y i64 4\noutput 0 f32 scalar\n"
       "entry probe_train train=probe\nparam p f32 1 init=zeros\n"
       "input x f32 4x1\ninput y i64 4\noutput 0 f32 scalar\n",
       "evaluation entry 'probe' has optimizer states; only training steps "
       "may"},
      {"kiln-abi 1\nentry probe\nparam p f32 1 init=zeros\n"
       "input x f32 4x1\ninput y i64 4\noutput 0 f64 scalar\n"
       "entry probe_train train=probe\nparam p f32 1 init=zeros\n"
       "input x f32 4x1\ninput y i64 4\noutput 0 f32 scalar\n",
       "evaluation entry 'probe': output 0 must be the loss, an f32 scalar; "
       "found scalar f64"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.sig);
    RunResult r = train(c.sig.c_str());
    EXPECT_EQ(r.rc, 1);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.rfind("probe: error: ", 0), 0u) << r.err;
  }
  // Without logits the class count is unknown, but labels must still be
  // class indices. (The entries are never called: the data is rejected.)
  writeBytes(dir.file("data/train.csv"), "0,1\n-3,2\n1,3\n0,4\n");
  RunResult r = train((head + "input x f32 4x1\ninput y i64 4\n"
                              "output 0 f32 scalar\n")
                          .c_str());
  EXPECT_EQ(r.err, "probe: error: " + dir.file("data/train.csv") +
                       ": label -3 at index 1 is negative\n");
  // Params become file names with --init-params and --save-params.
  std::string slash = "kiln-abi 1\nentry probe\nparam a/b f32 1 init=zeros\n"
                      "input x f32 4x1\ninput y i64 4\noutput 0 f32 scalar\n"
                      "entry probe_train train=probe\n"
                      "param a/b f32 1 init=zeros\ninput x f32 4x1\n"
                      "input y i64 4\noutput 0 f32 scalar\n";
  writeCsv("data/train.csv", 10);
  r = train(slash.c_str(), {"--save-params", dir.file("out")});
  EXPECT_EQ(r.err, "probe: error: --save-params: param 'a/b' cannot be used "
                   "as a file name\n");
  EXPECT_EQ(readBytes(dir.file("out")), "");

  // A module without its signature or table.
  const char *argv[] = {"probe-prog", nullptr};
  testing::internal::CaptureStderr();
  EXPECT_EQ(kiln_train_main(1, const_cast<char **>(argv), nullptr, nullptr,
                            nullptr, kProbeTable),
            1);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "prog: error: corrupt module: no signature\n");

  r = train(kProbeSignature, {"--train-entry", "probe"});
  EXPECT_EQ(r.err, "probe: error: entry 'probe' is not a training step (it "
                   "has no train=)\n");
  r = train(kProbeSignature, {"--train-entry", "nope"});
  EXPECT_EQ(r.err, "probe: error: unknown training entry 'nope' "
                   "(--train-entry)\n");
  r = train(kProbeSignature, {"--train-entry=probe_train", "--quiet"});
  EXPECT_EQ(r.rc, 0) << r.err;
}

} // namespace
