//===- kiln-onnx-conformance.cpp - ONNX backend node tests ----------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// kiln-onnx-conformance [--data DIR] [--filter REGEX] [-j N] [--all]
//
// Runs ONNX's backend node tests (Debian's libonnx-testdata: DIR/test_*/
// {model.onnx, test_data_set_0/input_*.pb, output_*.pb}) through Kiln: for
// every test in scope (docs/ONNX.md, "Conformance"), import the model with
// the importer (inputs that must be compile-time constants, such as a
// Reshape's shape, are folded from the test data), compile it with kilnc's
// pipeline, JIT it, run it on the inputs and compare every output with
// ONNX's tolerances, |actual - expected| <= atol + rtol * |expected| with
// rtol = 1e-3, atol = 1e-7 (NaN matches NaN). Prints one row per test
// (name, PASS/FAIL/SKIP, reason) and the summary
//   N passed, M failed (K out of scope)
// Each test runs in a child process (a crash fails that test only), -j of
// them at a time. The exit status is 0 when the pass rate of the in-scope
// tests is at least --min-pass-rate (default 0).
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAll.h"
#include "kiln/Pipelines/Pipelines.h"
#include "kiln/Runtime/ABI.h"
#include "kiln/Target/JIT.h"
#include "kiln/Target/ONNX/ImportONNX.h"
#include "kiln/Target/ONNX/TensorProto.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/TargetSelect.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string>
    dataDir("data", cl::desc("Directory of the node tests"),
            cl::value_desc("dir"),
            cl::init("/usr/share/libonnx-testdata/data/node"));
static cl::opt<std::string> filter("filter",
                                   cl::desc("Run only tests matching REGEX"),
                                   cl::value_desc("regex"), cl::init(""));
static cl::opt<unsigned> jobs("j", cl::desc("Tests run in parallel"),
                              cl::init(1));
static cl::opt<bool> showAll("all",
                             cl::desc("Also list the out-of-scope tests"));
static cl::opt<unsigned> optLevel("opt-level",
                                  cl::desc("LLVM optimization level of the "
                                           "JIT, 0-3"),
                                  cl::init(1));
static cl::opt<unsigned> timeoutSec("timeout", cl::desc("Seconds per test"),
                                    cl::init(120));
static cl::opt<double> minPassRate(
    "min-pass-rate",
    cl::desc("Exit with status 1 below this pass rate (0-1) of the in-scope "
             "tests"),
    cl::init(0.0));

static constexpr double kRtol = 1e-3, kAtol = 1e-7;

namespace {
struct Outcome {
  std::string name, status, reason;
};
} // namespace

//===----------------------------------------------------------------------===//
// Scope
//===----------------------------------------------------------------------===//

/// The operators in scope (issue 6): those an nn op implements, and the
/// training operators Kiln has (softmax cross-entropy and its log-prob
/// form NLL, Adam, Momentum).
static bool inScopeOp(llvm::StringRef op) {
  static const char *const ops[] = {
      "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Softmax", "LogSoftmax",
      "MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "Exp", "Log", "Sqrt", "Pow",
      "Neg", "Abs", "Transpose", "Reshape", "Flatten", "Concat", "Conv",
      "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
      "Dropout", "LSTM", "GRU", "RNN", "SoftmaxCrossEntropyLoss",
      "NegativeLogLikelihoodLoss", "Adam", "Momentum",
      // Structural operators of the expanded (function body) tests: with
      // static shapes they are compile-time values.
      "Constant", "Identity", "Shape"};
  return op.starts_with("Reduce") || llvm::is_contained(ops, op);
}

/// Inputs that are integer by definition (labels, shapes, axes, step
/// counts, sequence lengths, dropout's ratio and mode).
static bool isIntegerOperand(llvm::StringRef op, int i) {
  if (op == "SoftmaxCrossEntropyLoss" || op == "NegativeLogLikelihoodLoss")
    return i == 1;
  if (op == "Reshape" || op == "ReduceSum")
    return i == 1;
  if (op == "Dropout")
    return i >= 1;
  if (op == "LSTM" || op == "GRU" || op == "RNN")
    return i == 4;
  if (op == "Adam" || op == "Momentum")
    return i == 1;
  return false;
}

/// Returns "" if the test is in scope, else why not.
static std::string scopeOf(const onnx::ModelProto &model) {
  const onnx::GraphProto &g = model.graph();
  std::string missing;
  llvm::StringSet<> integerInputs;
  for (const onnx::NodeProto &n : g.node()) {
    if (!inScopeOp(n.op_type())) {
      if (!missing.empty())
        missing += ", ";
      missing += n.op_type();
    }
    for (int i = 0; i < n.input_size(); ++i)
      if (isIntegerOperand(n.op_type(), i))
        integerInputs.insert(n.input(i));
  }
  if (!missing.empty())
    return "operator " + missing;
  for (const onnx::ValueInfoProto &in : g.input()) {
    int32_t t = in.type().tensor_type().elem_type();
    if (t != onnx::TensorProto::FLOAT && !integerInputs.contains(in.name()))
      return std::string("data type ") +
             onnx::TensorProto::DataType_Name((onnx::TensorProto::DataType)t) +
             " (nn computes in f32)";
  }
  return "";
}

//===----------------------------------------------------------------------===//
// One test (in the child process)
//===----------------------------------------------------------------------===//

static bool readFile(const std::string &path, std::string &out) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buf)
    return false;
  out = (*buf)->getBuffer().str();
  return true;
}

/// Reads the serialized TensorProto `bytes` of the test data into `values`
/// and `shape` (kiln::readONNXTensorValues). Returns "" or why not.
static std::string readTensor(const std::string &bytes,
                              std::vector<double> &values,
                              std::vector<int64_t> &shape) {
  onnx::TensorProto t;
  if (!t.ParseFromString(bytes))
    return "corrupt TensorProto";
  std::string error;
  FailureOr<std::vector<double>> v = kiln::readONNXTensorValues(t, error);
  if (failed(v))
    return "tensor '" + t.name() + "' " + error;
  values = std::move(*v);
  shape.assign(t.dims().begin(), t.dims().end());
  return "";
}

static std::string fmt(double d) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.7g", d);
  return buf;
}

/// Runs one test; returns "PASS" or "FAIL\treason".
static std::string runTest(const std::string &dir,
                           const onnx::ModelProto &model) {
  std::string modelBytes;
  if (!readFile(dir + "/model.onnx", modelBytes))
    return "FAIL\tcannot read model.onnx";
  const onnx::GraphProto &g = model.graph();
  llvm::StringSet<> inits;
  for (const auto &t : g.initializer())
    inits.insert(t.name());
  std::vector<std::string> inputNames;
  for (const auto &in : g.input())
    if (!inits.contains(in.name()))
      inputNames.push_back(in.name());

  // Test data.
  std::string dataSet = dir + "/test_data_set_0";
  std::map<std::string, std::string> inputBytes;
  for (size_t i = 0; i < inputNames.size(); ++i) {
    std::string bytes;
    if (!readFile(dataSet + "/input_" + std::to_string(i) + ".pb", bytes))
      return "FAIL\tmissing input_" + std::to_string(i) + ".pb";
    inputBytes[inputNames[i]] = bytes;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  std::string firstError;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
      firstError = diag.str();
    return success();
  });

  kiln::ONNXImportOptions options;
  options.functionName = "onnx_test";
  options.inputValues = inputBytes;
  kiln::ONNXImportResult imported =
      kiln::importONNX(modelBytes, "model.onnx", &context, options);
  if (!imported.module)
    return "FAIL\timport: " + firstError;

  PassManager pm(&context, ModuleOp::getOperationName());
  kiln::PipelineOptions pipelineOptions;
  kiln::buildNNToLLVMPipeline(pm, pipelineOptions);
  if (failed(pm.run(*imported.module)))
    return "FAIL\tcompile: " + firstError;
  llvm::Expected<kiln::JITModule> jit =
      kiln::JITModule::create(*imported.module, optLevel);
  if (!jit)
    return "FAIL\tjit: " + llvm::toString(jit.takeError());

  kiln_signature_t sig;
  char err[1024];
  if (kiln_signature_parse(jit->getSignature(), &sig, err, sizeof err) !=
      KILN_OK)
    return std::string("FAIL\tsignature: ") + err;
  const kiln_sig_entry_t *entry =
      kiln_signature_find_entry(&sig, imported.functionName.c_str());
  kiln_entry_fn_t fn = kiln_entry_table_find(jit->getEntryTable(),
                                             imported.functionName.c_str());
  if (!entry || !fn)
    return "FAIL\tno entry point " + imported.functionName;

  // Inputs.
  std::vector<kiln_tensor_t> ins(imported.argumentInputs.size());
  std::vector<kiln_tensor_t *> inPtrs;
  for (size_t i = 0; i < ins.size(); ++i) {
    std::vector<double> v;
    std::vector<int64_t> shape;
    std::string error =
        readTensor(inputBytes[imported.argumentInputs[i]], v, shape);
    if (!error.empty())
      return "FAIL\tinput " + std::to_string(i) + ": " + error;
    const kiln_sig_arg_t &arg = entry->inputs[i];
    if (kiln_tensor_alloc(&ins[i], arg.dtype, (int32_t)shape.size(),
                          shape.data(), err, sizeof err) != KILN_OK)
      return "FAIL\tcannot allocate input";
    for (size_t k = 0; k < v.size(); ++k) {
      if (arg.dtype == KILN_F32)
        ((float *)ins[i].data)[k] = (float)v[k];
      else if (arg.dtype == KILN_I64)
        ((int64_t *)ins[i].data)[k] = (int64_t)v[k];
      else if (arg.dtype == KILN_I32)
        ((int32_t *)ins[i].data)[k] = (int32_t)v[k];
    }
    inPtrs.push_back(&ins[i]);
  }
  std::vector<kiln_tensor_t> outs(entry->num_outputs);
  std::vector<kiln_tensor_t *> outPtrs;
  for (size_t i = 0; i < outs.size(); ++i) {
    if (kiln_sig_arg_alloc(&entry->outputs[i], &outs[i], err, sizeof err) !=
        KILN_OK)
      return std::string("FAIL\t") + err;
    outPtrs.push_back(&outs[i]);
  }
  if (kiln_call_entry(entry, fn, nullptr, 0, nullptr, 0, inPtrs.data(),
                      inPtrs.size(), outPtrs.data(), outPtrs.size(), err,
                      sizeof err) != KILN_OK)
    return std::string("FAIL\tcall: ") + err;

  // Compare.
  for (size_t o = 0; o < outs.size(); ++o) {
    std::string bytes;
    if (!readFile(dataSet + "/output_" + std::to_string(o) + ".pb", bytes))
      return "FAIL\tmissing output_" + std::to_string(o) + ".pb";
    std::vector<double> want;
    std::vector<int64_t> shape;
    std::string error = readTensor(bytes, want, shape);
    if (!error.empty())
      return "FAIL\texpected output " + std::to_string(o) + ": " + error;
    std::vector<int64_t> got(outs[o].shape, outs[o].shape + outs[o].rank);
    if (got != shape)
      return "FAIL\toutput " + std::to_string(o) + " has shape " +
             kiln::formatONNXShape(got) + ", expected " +
             kiln::formatONNXShape(shape);
    double maxErr = 0;
    int64_t bad = -1, numBad = 0;
    for (size_t k = 0; k < want.size(); ++k) {
      double a = kiln_tensor_get_f64(&outs[o], k), e = want[k];
      bool ok = (std::isnan(a) && std::isnan(e)) || a == e ||
                std::fabs(a - e) <= kAtol + kRtol * std::fabs(e);
      if (!ok) {
        ++numBad;
        double d = std::fabs(a - e);
        if (bad < 0 || d > maxErr || std::isnan(d)) {
          maxErr = d;
          bad = k;
        }
      }
    }
    if (numBad)
      return "FAIL\toutput " + std::to_string(o) + ": " +
             std::to_string(numBad) + " of " + std::to_string(want.size()) +
             " elements differ, worst at " + std::to_string(bad) +
             ": expected " + fmt(want[bad]) + ", got " +
             fmt(kiln_tensor_get_f64(&outs[o], bad));
  }
  for (auto &t : ins)
    kiln_tensor_free(&t);
  for (auto &t : outs)
    kiln_tensor_free(&t);
  kiln_signature_free(&sig);
  return "PASS";
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "Runs the ONNX backend node tests through "
                              "Kiln's importer, compiler and JIT\n");
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  if (jobs < 1)
    jobs = 1;

  std::vector<std::string> tests;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dataDir, ec), end; it != end && !ec;
       it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    if (llvm::StringRef(name).starts_with("test_"))
      tests.push_back(name);
  }
  if (ec || tests.empty()) {
    llvm::errs() << "kiln-onnx-conformance: error: no test_* directories in '"
                 << dataDir << "'\n";
    return 1;
  }
  llvm::sort(tests);
  llvm::Regex re(filter);
  std::string reError;
  if (!filter.empty() && !re.isValid(reError)) {
    llvm::errs() << "kiln-onnx-conformance: error: --filter: " << reError
                 << "\n";
    return 1;
  }

  std::vector<Outcome> outcomes;
  struct Running {
    pid_t pid;
    int fd;
    size_t index;
  };
  std::vector<Running> running;
  std::vector<std::pair<size_t, onnx::ModelProto>> queue;
  for (const std::string &t : tests) {
    if (!filter.empty() && !re.match(t))
      continue;
    Outcome out{t, "", ""};
    std::string bytes;
    onnx::ModelProto model;
    if (!readFile(dataDir + "/" + t + "/model.onnx", bytes) ||
        !model.ParseFromString(bytes)) {
      out.status = "FAIL";
      out.reason = "cannot parse model.onnx";
      outcomes.push_back(out);
      continue;
    }
    std::string why = scopeOf(model);
    if (!why.empty()) {
      out.status = "SKIP";
      out.reason = "out of scope: " + why;
      outcomes.push_back(out);
      continue;
    }
    outcomes.push_back(out);
    queue.push_back({outcomes.size() - 1, std::move(model)});
  }

  // Reads a child's result line into its outcome. `reaped` is its wait
  // status if wait() has already collected it; otherwise this waits for it
  // once its output is read (so a long line cannot fill the pipe first).
  auto record = [&](const Running &r, std::optional<int> reaped) {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(r.fd, buf, sizeof buf)) > 0)
      text.append(buf, n);
    close(r.fd);
    int status = 0;
    if (reaped)
      status = *reaped;
    else
      waitpid(r.pid, &status, 0);
    Outcome &o = outcomes[r.index];
    if (WIFSIGNALED(status)) {
      o.status = "FAIL";
      o.reason =
          WTERMSIG(status) == SIGALRM
              ? "timeout"
              : "crash (signal " + std::to_string(WTERMSIG(status)) + ")";
      return;
    }
    llvm::StringRef line = llvm::StringRef(text).trim();
    auto [status0, reason] = line.split('\t');
    o.status = status0.empty() ? "FAIL" : status0.str();
    o.reason = status0.empty() ? "no result" : reason.str();
    // One line per row.
    std::replace(o.reason.begin(), o.reason.end(), '\n', ' ');
  };

  for (auto &[index, model] : queue) {
    while (running.size() >= jobs) {
      int status;
      pid_t pid = wait(&status);
      for (size_t k = 0; k < running.size(); ++k)
        if (running[k].pid == pid) {
          record(running[k], status);
          running.erase(running.begin() + k);
          break;
        }
    }
    int fds[2];
    if (pipe(fds) != 0) {
      perror("pipe");
      return 1;
    }
    llvm::outs().flush();
    llvm::errs().flush();
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      alarm(timeoutSec);
      std::string r = runTest(dataDir + "/" + outcomes[index].name, model);
      r += "\n";
      ssize_t written = write(fds[1], r.data(), r.size());
      (void)written;
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    running.push_back({pid, fds[0], index});
  }
  for (Running &r : running)
    record(r, std::nullopt);

  unsigned passed = 0, failed = 0, skipped = 0;
  for (const Outcome &o : outcomes) {
    if (o.status == "PASS")
      ++passed;
    else if (o.status == "SKIP")
      ++skipped;
    else
      ++failed;
    if (o.status == "SKIP" && !showAll)
      continue;
    llvm::outs() << llvm::left_justify(o.name, 56) << " "
                 << llvm::left_justify(o.status, 4)
                 << (o.reason.empty() ? "" : "  " + o.reason) << "\n";
  }
  unsigned total = passed + failed;
  double rate = total ? (double)passed / total : 1.0;
  llvm::outs() << passed << " passed, " << failed << " failed (" << skipped
               << " out of scope); pass rate "
               << llvm::format("%.1f", 100.0 * rate) << "% of " << total
               << " in scope\n";
  return rate + 1e-12 >= minPassRate ? 0 : 1;
}
